import request from 'supertest';
import {
  findServerBinaries,
  PrivateServer,
  startThrowawayServer,
} from '../../src/common/database/launcher';
import { REPLICA_RETRY_AFTER_MS } from '../../src/common/database/replicated-pools';
import { TransactionRunner } from '../../src/common/database/transaction-runner';
import { eventually } from '../support/fake-data-platform';
import { insertProduct, setBalance } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

const DATABASE = 'ecom_test_replicas';

/**
 * DB_REPLICA_HOSTS with a real replica: a private MariaDB primary (binary log) and a second
 * private server replicating from it by GTID, started by the project's launcher.
 */
describe('read replicas (a real primary and replica)', () => {
  let primary: PrivateServer;
  let replica: PrivateServer;
  let t: TestApp;
  let db: TransactionRunner;

  const onReplica = <T>(sql: string, params: unknown[] = []) =>
    replica.query<T>(sql, params, DATABASE);
  const nameOf = (rows: Array<{ name: string }>) => rows[0]?.name;
  const productName = 'SELECT name FROM products WHERE id = ?';

  /** Waits until the replica has applied everything the primary has written so far. */
  async function caughtUp(): Promise<void> {
    const [{ pos }] = await primary.query<Array<{ pos: string }>>(
      'SELECT @@gtid_binlog_pos AS pos',
    );
    await replica.query('SELECT MASTER_GTID_WAIT(?, 10)', [pos]);
  }

  beforeAll(async () => {
    const binaries = findServerBinaries();
    if (binaries?.kind !== 'MariaDB') throw new Error('this test needs MariaDB server binaries');
    primary = await startThrowawayServer(binaries, { serverId: 1, kind: 'primary' });
    replica = await startThrowawayServer(binaries, { serverId: 2, kind: 'replica' });
    await replica.replicateFrom(primary);
    await primary.query(
      `CREATE DATABASE ${DATABASE} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
    t = await startTestApp({
      DB_HOST: primary.host,
      DB_PORT: String(primary.port),
      DB_USER: primary.user,
      DB_PASSWORD: primary.password,
      DB_NAME: DATABASE,
      DB_REPLICA_HOSTS: `${replica.host}:${replica.port}`,
    });
    db = t.app.get(TransactionRunner);
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    await replica?.destroy();
    await primary?.destroy();
  });

  beforeEach(async () => {
    await t.reset();
    await replica.query('START SLAVE').catch(() => undefined);
    await caughtUp();
  });

  it('serves a catalogue read from the replica once replication has caught up', async () => {
    const id = await insertProduct(t.dataSource, 1_000, 5);
    await caughtUp();
    await replica.query('STOP SLAVE');
    await t.dataSource.query("UPDATE products SET name = 'renamed on the primary' WHERE id = ?", [
      id,
    ]);

    // The replica (stopped) still has the old name; the primary has the new one.
    expect(nameOf(await db.readQuery(productName, [id]))).not.toBe('renamed on the primary');
    expect(nameOf(await db.query(productName, [id]))).toBe('renamed on the primary');
  });

  it('GET /products and /products/popular may come from the replica; GET /products/{id} always reflects the primary', async () => {
    const id = await insertProduct(t.dataSource, 1_000, 5, 'as replicated');
    await caughtUp();
    await replica.query('STOP SLAVE');
    await t.dataSource.query("UPDATE products SET name = 'renamed' WHERE id = ?", [id]);

    const page = await request(t.baseUrl).get('/api/v1/products').expect(200);
    expect(page.body.items.find((p: { id: number }) => p.id === id).name).toBe('as replicated');
    const one = await request(t.baseUrl).get(`/api/v1/products/${id}`).expect(200);
    expect(one.body.name).toBe('renamed');
  });

  it('keeps every read inside a unit of work, and every locking read, on the primary', async () => {
    const id = await insertProduct(t.dataSource, 1_000, 5);
    await caughtUp();
    await replica.query('STOP SLAVE');
    await t.dataSource.query("UPDATE products SET name = 'primary' WHERE id = ?", [id]);

    expect(nameOf(await db.run(() => db.readQuery(productName, [id])))).toBe('primary');
    await expect(
      db.readQuery('SELECT * FROM products WHERE id = ? FOR UPDATE', [id]),
    ).rejects.toThrow(/locking read never goes to a replica/);
  });

  it('an order (a locked write path) sees the primary, whatever the replica holds', async () => {
    const productId = await insertProduct(t.dataSource, 1_000, 5);
    await setBalance(t.dataSource, 1, 100_000);
    await caughtUp();
    await replica.query('STOP SLAVE');
    // A replica that disagrees: no stock at all. (root may write on a read-only server.)
    await onReplica('UPDATE products SET stock = 0, price = 1 WHERE id = ?', [productId]);

    const order = await request(t.baseUrl)
      .post('/api/v1/orders')
      .set(t.auth(1))
      .send({ userId: 1, items: [{ productId, quantity: 5 }] })
      .expect(201);
    expect(order.body.totalAmount).toBe(5_000);
    await request(t.baseUrl)
      .post(`/api/v1/orders/${order.body.id}/payment`)
      .set(t.auth(1))
      .expect(200);
    const [row] = await t.dataSource.query('SELECT stock FROM products WHERE id = ?', [productId]);
    expect(row.stock).toBe(0);
  });

  it('a killed replica changes nothing a client sees: reads fall back to the primary, and use it again once it is back', async () => {
    const id = await insertProduct(t.dataSource, 1_000, 5);
    await caughtUp();
    await replica.kill();
    const health = await request(t.baseUrl).get('/health').expect(200);
    expect(health.body.replicas).toEqual([
      { address: `${replica.host}:${replica.port}`, status: 'down' },
    ]);
    await request(t.baseUrl).get('/api/v1/products').expect(200);

    const started = Date.now();
    expect(nameOf(await db.readQuery(productName, [id]))).toBeDefined();
    for (let i = 0; i < 20; i++) await db.readQuery(productName, [id]);
    expect(Date.now() - started).toBeLessThan(5_000);

    await replica.start();
    expect((await request(t.baseUrl).get('/health').expect(200)).body.replicas).toEqual([
      { address: `${replica.host}:${replica.port}`, status: 'up' },
    ]);
    await replica.query('START SLAVE');
    await caughtUp();
    await replica.query('STOP SLAVE');
    await t.dataSource.query("UPDATE products SET name = 'after the restart' WHERE id = ?", [id]);
    // Within the retry period plus a little, reads reach the replica again (the stale name).
    await eventually(
      async () => nameOf(await db.readQuery(productName, [id])) !== 'after the restart',
      REPLICA_RETRY_AFTER_MS + 5_000,
    );
  });
});
