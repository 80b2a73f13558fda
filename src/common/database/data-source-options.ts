import type { MysqlConnectionOptions } from 'typeorm/driver/mysql/MysqlConnectionOptions';
import type { AppConfig } from '../../config/app-config';
import { MIGRATIONS } from './migrations';
import { resilientMysql2 } from './resilient-mysql2';
import { TypeOrmNestLogger } from './typeorm-nest-logger';

/**
 * Driver type `mariadb` emits lock SQL that both MariaDB and MySQL accept (`mysql` emits
 * `FOR SHARE`, which MariaDB rejects); the connector is mysql2 either way.
 */
export function dataSourceOptions(config: AppConfig): MysqlConnectionOptions {
  return {
    type: 'mariadb',
    connectorPackage: 'mysql2',
    // mysql2 with an error listener on every pooled connection and a bounded wait for one.
    driver: resilientMysql2({
      acquireTimeoutMs: config.db.acquireTimeoutMs,
      lockWaitTimeoutSeconds: config.db.lockWaitTimeoutSeconds,
    }),
    host: config.db.host,
    port: config.db.port,
    username: config.db.user,
    password: config.db.password,
    database: config.db.name,
    poolSize: config.db.poolSize,
    connectTimeout: config.db.connectTimeoutMs,
    timezone: 'Z',
    charset: 'utf8mb4_unicode_ci',
    // BIGINT money and ids come back as numbers; values beyond 2^53 would come back as strings,
    // and the domain rejects such values before they are ever written.
    supportBigNumbers: true,
    bigNumberStrings: false,
    synchronize: false,
    migrations: MIGRATIONS,
    // Applied by runMigrations() under a named lock, not by TypeORM on its own.
    migrationsRun: false,
    logger: new TypeOrmNestLogger(),
    maxQueryExecutionTime: 1_000,
    ...replication(config),
  };
}

/**
 * DB_REPLICA_HOSTS: TypeORM replication, with every query on the primary unless it asks for a
 * replica (`defaultMode: 'master'`; only TransactionRunner.readQuery does). The pools behind it
 * are resilientMysql2's (see replicated-pools.ts).
 */
function replication(config: AppConfig): Pick<MysqlConnectionOptions, 'replication'> {
  const { host, port, user, password, name, replicas } = config.db;
  if (replicas.length === 0) return {};
  const node = (at: { host: string; port: number }) => ({
    host: at.host,
    port: at.port,
    username: user,
    password,
    database: name,
  });
  return {
    replication: {
      master: node({ host, port }),
      slaves: replicas.map(node),
      defaultMode: 'master',
    },
  };
}
