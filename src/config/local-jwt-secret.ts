import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

type Env = Record<string, string | undefined>;

/** Where `npm start` keeps what it makes for itself: the private database and the JWT secret. */
export function localDataDir(env: Env): string {
  return resolve(env.DATA_DIR || '.data');
}

/**
 * Outside production, an unset JWT_SECRET is a random secret generated once into
 * `<data dir>/jwt-secret` and read from there afterwards, so the server and `npm run token`
 * agree without anyone choosing a secret. Production must set its own (loadConfig refuses none).
 */
export function withLocalJwtSecret(env: Env): Env {
  if (env.JWT_SECRET || env.NODE_ENV === 'production') return env;
  return { ...env, JWT_SECRET: readOrCreateSecret(join(localDataDir(env), 'jwt-secret')) };
}

function readOrCreateSecret(file: string): string {
  const existing = readSecret(file);
  if (existing) return existing;
  mkdirSync(resolve(file, '..'), { recursive: true });
  // Written whole under another name, then linked: of two processes starting at once one
  // creates the file, the other finds it complete.
  const draft = `${file}.${process.pid}`;
  writeFileSync(draft, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600 });
  try {
    linkSync(draft, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    rmSync(draft, { force: true });
  }
  return readSecret(file)!;
}

function readSecret(file: string): string | null {
  try {
    return readFileSync(file, 'utf8').trim() || null;
  } catch {
    return null;
  }
}
