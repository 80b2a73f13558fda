import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { LocatedDatabase } from './database-address';
import { freePort, portIsFree } from './ports';

const MYSQL_IMAGE = 'mysql:8.4';
const PROJECT_ROOT = join(__dirname, '..', '..', '..', '..');

/** A throwaway MySQL container (tests, bench); `testcontainers` is a dev dependency. */
export async function startTestcontainersMySql(): Promise<LocatedDatabase> {
  const { MySqlContainer } = await import('@testcontainers/mysql');
  const container = await new MySqlContainer(MYSQL_IMAGE).withRootPassword('test').start();
  return {
    host: container.getHost(),
    port: container.getPort(),
    user: 'root',
    password: 'test',
    where: `a Testcontainers ${MYSQL_IMAGE} container`,
    owned: true,
    release: async () => {
      await container.stop();
    },
  };
}

/**
 * `npm start` without server binaries but with Docker: the compose file's MySQL (user app/app,
 * data in a named volume), on 3306 when that is free. It is left running when the API stops.
 */
export async function startComposeMySql(): Promise<LocatedDatabase> {
  const port = (await portIsFree(3306)) ? 3306 : await freePort();
  await promisify(execFile)('docker', ['compose', 'up', '-d', '--wait', 'mysql'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, MYSQL_PORT: String(port) },
    timeout: 300_000,
  });
  return {
    host: '127.0.0.1',
    port,
    user: 'app',
    password: 'app',
    where: `the docker compose ${MYSQL_IMAGE} (left running; docker compose down stops it)`,
    owned: false,
    release: async () => undefined,
  };
}
