import type { Response } from 'supertest';

/** Text that must never reach a client: stacks, SQL, driver and ORM names. */
const INTERNALS = [
  /\bat .+\(.+:\d+:\d+\)/, // stack frame
  /node_modules/,
  /QueryFailedError/,
  /TypeORM/i,
  /\bER_[A-Z_]+/,
  /\bSELECT\b|\bINSERT\b|\bUPDATE\b.+\bSET\b|\bFROM\b.+\bWHERE\b/,
  /sqlMessage|sqlState|errno/,
  /FST_ERR/,
  /\.ts:\d+/,
];

/** Fails when an error body carries anything of the server's internals. */
export function expectNoInternals(body: unknown): void {
  const text = JSON.stringify(body);
  for (const pattern of INTERNALS) {
    if (pattern.test(text)) throw new Error(`error body leaks internals (${pattern}): ${text}`);
  }
}

/**
 * The contract's error body: `{ statusCode, code, message, details?, path, timestamp }`, nothing
 * else, with a JSON content type and no internals.
 */
export function expectErrorBody(res: Response, status: number, code: string, path?: string): void {
  if (res.status !== status || res.body?.code !== code) {
    throw new Error(
      `expected ${status} ${code}, got ${res.status} ${JSON.stringify(res.body ?? res.text)}`,
    );
  }
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  const body = res.body as Record<string, unknown>;
  expect(Object.keys(body).sort()).toEqual(
    [
      'code',
      'message',
      'path',
      'statusCode',
      'timestamp',
      ...('details' in body ? ['details'] : []),
    ].sort(),
  );
  expect(body.statusCode).toBe(status);
  expect(typeof body.message).toBe('string');
  expect((body.message as string).length).toBeGreaterThan(0);
  expect(typeof body.path).toBe('string');
  if (path !== undefined) expect(body.path).toBe(path);
  expect(body.path).not.toContain('?');
  expect(typeof body.timestamp).toBe('string');
  expect(new Date(body.timestamp as string).toISOString()).toBe(body.timestamp);
  if ('details' in body) {
    expect(Array.isArray(body.details)).toBe(true);
    for (const detail of body.details as unknown[]) {
      expect(detail).toEqual({ field: expect.any(String), reason: expect.any(String) });
    }
  }
  expectNoInternals(body);
}

/** A 400 VALIDATION_FAILED whose `details` name the given field (or fields). */
export function expectValidationError(res: Response, ...fields: string[]): void {
  expectErrorBody(res, 400, 'VALIDATION_FAILED');
  const details = res.body.details as Array<{ field: string; reason: string }>;
  expect(Array.isArray(details)).toBe(true);
  expect(details.length).toBeGreaterThan(0);
  for (const field of fields) {
    expect(details.map((d) => d.field)).toContain(field);
  }
}
