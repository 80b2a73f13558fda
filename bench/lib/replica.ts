/**
 * `--replica`: the bench's database is a private primary (binary log) with a replica following
 * it, both from the machine's MariaDB binaries; the servers get DB_REPLICA_HOSTS. A sampler
 * measures the replica's lag every 250 ms: the time the replica takes to reach the primary's
 * current GTID position (MASTER_GTID_WAIT).
 */
import {
  addressOf,
  findServerBinaries,
  LocatedDatabase,
  PrivateServer,
  startThrowawayServer,
} from '../../src/common/database/launcher';
import { percentile, round, sleep } from './stats';

const SAMPLE_EVERY_MS = 250;

export interface ReplicatedDatabase extends LocatedDatabase {
  replica: PrivateServer;
  /** Starts sampling the replica's lag; the returned function stops and summarizes it. */
  sampleLag(): () => Promise<{ samples: number; p50Ms: number; p99Ms: number; maxMs: number }>;
}

export async function startReplicatedDatabase(): Promise<ReplicatedDatabase> {
  const binaries = findServerBinaries();
  if (binaries?.kind !== 'MariaDB') throw new Error('--replica needs MariaDB server binaries');
  const primary = await startThrowawayServer(binaries, { serverId: 1, kind: 'primary' });
  const replica = await startThrowawayServer(binaries, { serverId: 2, kind: 'replica' });
  await replica.replicateFrom(primary);
  return {
    ...addressOf(primary),
    where: `a throwaway private primary with a replica on ${replica.host}:${replica.port}`,
    owned: true,
    replica,
    release: async () => {
      await replica.destroy();
      await primary.destroy();
    },
    sampleLag: () => {
      const lags: number[] = [];
      let running = true;
      const loop = (async () => {
        while (running) {
          const [{ pos }] = await primary.query<Array<{ pos: string }>>(
            'SELECT @@gtid_binlog_pos AS pos',
          );
          const started = Date.now();
          await replica.query('SELECT MASTER_GTID_WAIT(?, 30)', [pos]);
          lags.push(Date.now() - started);
          await sleep(SAMPLE_EVERY_MS);
        }
      })();
      return async () => {
        running = false;
        await loop;
        return {
          samples: lags.length,
          p50Ms: round(percentile(lags, 0.5), 0),
          p99Ms: round(percentile(lags, 0.99), 0),
          maxMs: lags.length > 0 ? Math.max(...lags) : 0,
        };
      };
    },
  };
}
