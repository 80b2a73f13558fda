import { requestFingerprint } from './request-fingerprint';

describe('requestFingerprint', () => {
  const path = '/api/v1/users/1/balance/charge';

  it('is a sha256 hex digest, stable for the same request', () => {
    const a = requestFingerprint('POST', path, { amount: 100 });
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(requestFingerprint('POST', path, { amount: 100 })).toBe(a);
  });

  it('ignores the order of object keys, at every depth', () => {
    expect(requestFingerprint('POST', '/o', { a: 1, b: { x: 1, y: [{ p: 1, q: 2 }] } })).toBe(
      requestFingerprint('POST', '/o', { b: { y: [{ q: 2, p: 1 }], x: 1 }, a: 1 }),
    );
  });

  it('differs when the body differs', () => {
    expect(requestFingerprint('POST', path, { amount: 100 })).not.toBe(
      requestFingerprint('POST', path, { amount: 101 }),
    );
    expect(requestFingerprint('POST', path, { amount: 100 })).not.toBe(
      requestFingerprint('POST', path, { amount: '100' }),
    );
    expect(requestFingerprint('POST', path, { amount: 100 })).not.toBe(
      requestFingerprint('POST', path, { amount: 100, extra: true }),
    );
  });

  it('keeps the order of array items', () => {
    expect(requestFingerprint('POST', '/o', { ids: [1, 2] })).not.toBe(
      requestFingerprint('POST', '/o', { ids: [2, 1] }),
    );
  });

  it('differs when the method or the path differs', () => {
    const base = requestFingerprint('POST', path, { amount: 1 });
    expect(requestFingerprint('PUT', path, { amount: 1 })).not.toBe(base);
    expect(requestFingerprint('POST', '/api/v1/users/2/balance/charge', { amount: 1 })).not.toBe(
      base,
    );
  });

  it('treats a missing body and a null body alike, but not like an empty object', () => {
    expect(requestFingerprint('POST', path, undefined)).toBe(
      requestFingerprint('POST', path, null),
    );
    expect(requestFingerprint('POST', path, undefined)).not.toBe(
      requestFingerprint('POST', path, {}),
    );
  });
});
