/** Finds or starts the database server for start, tests, bench and seed (see locateDatabase). */
export { addressOf, databaseEnv, DatabaseAddress, LocatedDatabase } from './database-address';
export { DatabasePurpose, locateDatabase, NoDatabaseError } from './locate-database';
export { startThrowawayServer } from './open-private-server';
export { freePort } from './ports';
export { PrivateServer, ReplicationRole } from './private-server';
export { findServerBinaries } from './server-binaries';
