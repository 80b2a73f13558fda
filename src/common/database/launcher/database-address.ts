/** Where a database server answers, and how to connect to it. */
export interface DatabaseAddress {
  host: string;
  port: number;
  user: string;
  password: string;
}

export interface LocatedDatabase extends DatabaseAddress {
  /** For the start-up line: which server this is and where. */
  where: string;
  /** True for a server the project runs itself (it starts empty: databases are created on it). */
  owned: boolean;
  /** Stops what this process started (a throwaway server is deleted); a no-op for DB_HOST. */
  release(): Promise<void>;
}

/** Only the connection fields (what a driver's options may receive). */
export function addressOf({ host, port, user, password }: DatabaseAddress): DatabaseAddress {
  return { host, port, user, password };
}

/** The `DB_*` variables that point the app (or a child process) at `address`. */
export function databaseEnv(address: DatabaseAddress): Record<string, string> {
  return {
    DB_HOST: address.host,
    DB_PORT: String(address.port),
    DB_USER: address.user,
    DB_PASSWORD: address.password,
  };
}
