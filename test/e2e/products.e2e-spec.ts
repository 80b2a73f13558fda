import request from 'supertest';
import { expectErrorBody, expectValidationError } from '../support/error-assertions';
import { useTestApp } from '../support/use-test-app';

describe('products (HTTP contract)', () => {
  const t = useTestApp();

  const api = () => request(t.baseUrl);
  const admin = () => t.auth(1, { admin: true });

  async function seed(count: number): Promise<number[]> {
    const ids: number[] = [];
    for (let i = 1; i <= count; i++) {
      const res = await api()
        .post('/api/v1/products')
        .set(admin())
        .send({ name: `Product ${i}`, price: i * 1_000, stock: i });
      expect(res.status).toBe(201);
      ids.push(res.body.id);
    }
    return ids;
  }

  const productRows = () =>
    t.dataSource.query<{ id: number; name: string; price: number; stock: number }[]>(
      'SELECT id, name, price, stock FROM products ORDER BY id',
    );

  describe('GET /products', () => {
    it('is public and pages an empty catalogue with the defaults', async () => {
      const res = await api().get('/api/v1/products').expect(200);
      expect(res.body).toEqual({
        items: [],
        page: 1,
        size: 20,
        totalItems: 0,
        totalPages: 0,
        nextCursor: null,
      });
    });

    it('pages products ordered by id, with exactly {id, name, price, stock}', async () => {
      const ids = await seed(5);

      const first = await api().get('/api/v1/products?page=1&size=2').expect(200);
      const last = await api().get('/api/v1/products?page=3&size=2').expect(200);
      const beyond = await api().get('/api/v1/products?page=4&size=2').expect(200);

      expect(first.body).toEqual({
        items: [
          { id: ids[0], name: 'Product 1', price: 1_000, stock: 1 },
          { id: ids[1], name: 'Product 2', price: 2_000, stock: 2 },
        ],
        page: 1,
        size: 2,
        totalItems: 5,
        totalPages: 3,
        nextCursor: expect.any(String),
      });
      expect(last.body.items.map((p: { id: number }) => p.id)).toEqual([ids[4]]);
      expect(last.body.nextCursor).toBeNull();
      expect(beyond.body).toEqual({
        items: [],
        page: 4,
        size: 2,
        totalItems: 5,
        totalPages: 3,
        nextCursor: null,
      });
    });

    it('pages by keyset: following nextCursor visits every product once, in id order', async () => {
      const ids = await seed(5);
      const seen: number[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: string = cursor === null ? '?size=2' : `?size=2&cursor=${cursor}`;
        const res = await api().get(`/api/v1/products${query}`).expect(200);
        seen.push(...res.body.items.map((p: { id: number }) => p.id));
        expect(res.body).toMatchObject({
          size: 2,
          totalItems: 5,
          totalPages: 3,
          page: cursor === null ? 1 : null,
        });
        cursor = res.body.nextCursor;
        pages++;
      } while (cursor !== null && pages < 10);
      expect(seen).toEqual(ids);
      expect(pages).toBe(3);
    });

    it.each([['cursor=abc'], ['cursor=!!'], ['cursor=cDox&page=2'], [`cursor=${'a'.repeat(41)}`]])(
      'rejects a bad or conflicting cursor (%s) with 400',
      async (query) => {
        const res = await api().get(`/api/v1/products?${query}`);
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('VALIDATION_FAILED');
      },
    );

    it('orders by id even when rows were written in another order', async () => {
      const now = new Date();
      await t.dataSource.query(
        'INSERT INTO products (id, name, price, stock, created_at, updated_at) VALUES (30, ?, 1, 1, ?, ?), (10, ?, 1, 1, ?, ?), (20, ?, 1, 1, ?, ?)',
        ['c', now, now, 'a', now, now, 'b', now, now],
      );
      const res = await api().get('/api/v1/products').expect(200);
      expect(res.body.items.map((p: { id: number }) => p.id)).toEqual([10, 20, 30]);
    });

    it('accepts size 100 and page 1 at the bounds', async () => {
      await seed(1);
      const res = await api().get('/api/v1/products?size=100&page=1').expect(200);
      expect(res.body).toMatchObject({ page: 1, size: 100, totalItems: 1, totalPages: 1 });
    });

    it.each([
      ['size=101', 'size'],
      ['size=0', 'size'],
      ['size=-1', 'size'],
      ['size=abc', 'size'],
      ['size=1.5', 'size'],
      ['size=1e2', 'size'],
      ['size=', 'size'],
      ['page=0', 'page'],
      ['page=-1', 'page'],
      ['page=abc', 'page'],
      ['page=2.5', 'page'],
      ['page=99999999999999999999', 'page'],
      ['page=1&page=2', 'page'],
    ])('rejects ?%s with 400 VALIDATION_FAILED naming %s', async (query, field) => {
      const res = await api().get(`/api/v1/products?${query}`);
      expectValidationError(res, field);
      expect(res.body.path).toBe('/api/v1/products');
    });
  });

  describe('GET /products/:id', () => {
    it('is public and returns {id, name, price, stock}', async () => {
      const [id] = await seed(1);
      const res = await api().get(`/api/v1/products/${id}`).expect(200);
      expect(res.body).toEqual({ id, name: 'Product 1', price: 1_000, stock: 1 });
    });

    it('answers 404 PRODUCT_NOT_FOUND for an unknown id', async () => {
      const res = await api().get('/api/v1/products/424242');
      expectErrorBody(res, 404, 'PRODUCT_NOT_FOUND', '/api/v1/products/424242');
    });

    it.each([
      '0',
      '-1',
      'abc',
      '1.5',
      '1e3',
      '99999999999999999999',
      '9007199254740993',
      '%20',
      '0x10',
      '+1',
      '01',
    ])('rejects the id %p with 400 VALIDATION_FAILED', async (id) => {
      const res = await api().get(`/api/v1/products/${id}`);
      expectValidationError(res, 'id');
    });
  });

  describe('POST /products (admin)', () => {
    it('creates a product: 201 with the product, stored as sent (name trimmed)', async () => {
      const res = await api()
        .post('/api/v1/products')
        .set(admin())
        .send({ name: '  Desk Lamp ', price: 39_000, stock: 12 });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.any(Number),
        name: 'Desk Lamp',
        price: 39_000,
        stock: 12,
      });
      expect(res.body.id).toBeGreaterThan(0);
      const stored = await api().get(`/api/v1/products/${res.body.id}`).expect(200);
      expect(stored.body).toEqual(res.body);
    });

    it('accepts price 0, stock 0 and a 200-unit non-ASCII name (Hangul and an emoji)', async () => {
      const name = '가'.repeat(198) + '😀';
      const res = await api()
        .post('/api/v1/products')
        .set(admin())
        .send({ name, price: 0, stock: 0 });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ name, price: 0, stock: 0 });
    });

    it('accepts the maximum price and stock (BIGINT money round-trips exactly)', async () => {
      const res = await api()
        .post('/api/v1/products')
        .set(admin())
        .send({ name: 'Big', price: 1_000_000_000, stock: 1_000_000_000 });
      expect(res.status).toBe(201);
      const stored = await api().get(`/api/v1/products/${res.body.id}`).expect(200);
      expect(stored.body).toMatchObject({ price: 1_000_000_000, stock: 1_000_000_000 });
    });

    it('needs a token (401) and an admin (403), and then creates nothing', async () => {
      const body = { name: 'Nope', price: 1, stock: 1 };
      expectErrorBody(
        await api().post('/api/v1/products').send(body),
        401,
        'UNAUTHORIZED',
        '/api/v1/products',
      );
      expectErrorBody(
        await api().post('/api/v1/products').set(t.auth(2)).send(body),
        403,
        'FORBIDDEN',
        '/api/v1/products',
      );
      expect(await productRows()).toEqual([]);
    });

    it.each([
      ['missing name', { price: 1, stock: 1 }, 'name'],
      ['empty name', { name: '', price: 1, stock: 1 }, 'name'],
      ['blank name', { name: '   ', price: 1, stock: 1 }, 'name'],
      ['too long name', { name: 'x'.repeat(201), price: 1, stock: 1 }, 'name'],
      ['name with a control character', { name: 'a\u0000b', price: 1, stock: 1 }, 'name'],
      ['number as name', { name: 5, price: 1, stock: 1 }, 'name'],
      ['null name', { name: null, price: 1, stock: 1 }, 'name'],
      ['array name', { name: ['a'], price: 1, stock: 1 }, 'name'],
      ['missing price', { name: 'a', stock: 1 }, 'price'],
      ['negative price', { name: 'a', price: -1, stock: 1 }, 'price'],
      ['fractional price', { name: 'a', price: 10.5, stock: 1 }, 'price'],
      ['price as string', { name: 'a', price: '1000', stock: 1 }, 'price'],
      ['price 1e20', { name: 'a', price: 1e20, stock: 1 }, 'price'],
      ['price above the maximum', { name: 'a', price: 1_000_000_001, stock: 1 }, 'price'],
      ['price object', { name: 'a', price: { value: 1 }, stock: 1 }, 'price'],
      ['price boolean', { name: 'a', price: true, stock: 1 }, 'price'],
      ['negative stock', { name: 'a', price: 1, stock: -5 }, 'stock'],
      ['null stock', { name: 'a', price: 1, stock: null }, 'stock'],
      ['fractional stock', { name: 'a', price: 1, stock: 0.5 }, 'stock'],
      ['stock above the maximum', { name: 'a', price: 1, stock: 1_000_000_001 }, 'stock'],
      ['unknown field', { name: 'a', price: 1, stock: 1, id: 5 }, 'id'],
    ])('rejects a %s with 400 naming the field, creating nothing', async (_label, body, field) => {
      const res = await api().post('/api/v1/products').set(admin()).send(body);
      expectValidationError(res, field);
      expect(await productRows()).toEqual([]);
    });
  });

  describe('POST /products/:id/stock (admin)', () => {
    it('adds stock: 200 with the product', async () => {
      const [id] = await seed(1);
      const res = await api()
        .post(`/api/v1/products/${id}/stock`)
        .set(admin())
        .send({ quantity: 50 });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ id, name: 'Product 1', price: 1_000, stock: 51 });
      expect((await productRows())[0]).toMatchObject({ stock: 51 });
    });

    it('answers 404 PRODUCT_NOT_FOUND for an unknown product', async () => {
      const res = await api().post('/api/v1/products/777/stock').set(admin()).send({ quantity: 1 });
      expectErrorBody(res, 404, 'PRODUCT_NOT_FOUND', '/api/v1/products/777/stock');
    });

    it('needs an admin, and a refused restock changes nothing', async () => {
      const [id] = await seed(1);
      expectErrorBody(
        await api().post(`/api/v1/products/${id}/stock`).send({ quantity: 1 }),
        401,
        'UNAUTHORIZED',
      );
      expectErrorBody(
        await api().post(`/api/v1/products/${id}/stock`).set(t.auth(3)).send({ quantity: 1 }),
        403,
        'FORBIDDEN',
      );
      expect((await productRows())[0]).toMatchObject({ stock: 1 });
    });

    it.each([
      ['zero', { quantity: 0 }],
      ['negative', { quantity: -3 }],
      ['fraction', { quantity: 1.5 }],
      ['string', { quantity: '5' }],
      ['null', { quantity: null }],
      ['missing', {}],
      ['array', { quantity: [5] }],
      ['1e20', { quantity: 1e20 }],
    ])('rejects a %s quantity with 400 and changes nothing', async (_label, body) => {
      const [id] = await seed(1);
      const res = await api().post(`/api/v1/products/${id}/stock`).set(admin()).send(body);
      expectValidationError(res, 'quantity');
      expect((await productRows())[0]).toMatchObject({ stock: 1 });
    });

    it('refuses a restock past the maximum stock with 400 and changes nothing', async () => {
      const created = await api()
        .post('/api/v1/products')
        .set(admin())
        .send({ name: 'Full', price: 1, stock: 999_999_999 });
      const res = await api()
        .post(`/api/v1/products/${created.body.id}/stock`)
        .set(admin())
        .send({ quantity: 2 });
      expectValidationError(res, 'quantity');
      expect((await productRows())[0]).toMatchObject({ stock: 999_999_999 });
    });

    it('loses no update under 20 concurrent restocks', async () => {
      const [id] = await seed(1);
      const responses = await Promise.all(
        Array.from({ length: 20 }, () =>
          api().post(`/api/v1/products/${id}/stock`).set(admin()).send({ quantity: 5 }),
        ),
      );
      expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
      expect((await productRows())[0]).toMatchObject({ stock: 101 });
    });

    it('rejects a bad path id with 400', async () => {
      const res = await api().post('/api/v1/products/abc/stock').set(admin()).send({ quantity: 1 });
      expectValidationError(res, 'id');
    });
  });
});
