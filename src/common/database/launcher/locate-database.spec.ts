import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { locateDatabase, NoDatabaseError } from './locate-database';
import { findServerBinaries } from './server-binaries';

describe('locateDatabase', () => {
  it('uses DB_HOST when it is set, and starts nothing', async () => {
    const database = await locateDatabase({
      env: { DB_HOST: 'db.internal', DB_PORT: '3307', DB_USER: 'shop', DB_PASSWORD: 'pw' },
      purpose: { kind: 'throwaway' },
      searchDirs: [],
    });
    expect(database).toMatchObject({
      host: 'db.internal',
      port: 3307,
      user: 'shop',
      password: 'pw',
      owned: false,
    });
    expect(database.where).toBe('from DB_HOST, user "shop"');
  });

  it('names what to install when there is no DB_HOST, no server binary and no Docker', async () => {
    const attempt = locateDatabase({
      env: { PATH: '' },
      purpose: { kind: 'persistent', dir: '/nonexistent' },
      searchDirs: [],
    });
    await expect(attempt).rejects.toBeInstanceOf(NoDatabaseError);
    await expect(attempt).rejects.toThrow(/apt-get install mariadb-server[\s\S]*DB_HOST/);
  });
});

describe('findServerBinaries', () => {
  let dir: string;
  const fake = (name: string, banner: string) => {
    const file = join(dir, name);
    writeFileSync(file, `#!/bin/sh\necho '${banner}'\n`);
    chmodSync(file, 0o755);
  };

  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'ecom-binaries-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('finds nothing in directories without a server', () => {
    expect(findServerBinaries([dir])).toBeNull();
  });

  it('tells MySQL from MariaDB by --version', () => {
    fake(
      'mysqld',
      '/usr/sbin/mysqld  Ver 8.4.3 for Linux on x86_64 (MySQL Community Server - GPL)',
    );
    expect(findServerBinaries([dir])).toEqual({
      kind: 'MySQL',
      version: '8.4.3',
      server: join(dir, 'mysqld'),
      installDb: null,
    });
  });

  it('takes MariaDB (behind a mysqld name too) with its install-db script', () => {
    fake('mysqld', '/usr/sbin/mysqld  Ver 10.11.19-MariaDB-0+deb12u1 for debian-linux-gnu');
    expect(findServerBinaries([dir])).toBeNull(); // no mariadb-install-db beside it
    fake('mariadb-install-db', '');
    expect(findServerBinaries([dir])).toMatchObject({
      kind: 'MariaDB',
      version: '10.11.19',
      installDb: join(dir, 'mariadb-install-db'),
    });
  });
});
