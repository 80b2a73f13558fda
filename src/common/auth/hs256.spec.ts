import { createHmac, createSecretKey } from 'node:crypto';
import { verifyHs256 } from './hs256';

const key = createSecretKey(Buffer.from('a-long-enough-test-secret'));
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const signed = (header: unknown, payload: unknown, withKey = key) => {
  const body = `${b64(header)}.${b64(payload)}`;
  return `${body}.${createHmac('sha256', withKey).update(body).digest('base64url')}`;
};

describe('verifyHs256', () => {
  it('returns the claims of a token signed HS256 with the key', () => {
    expect(verifyHs256(signed({ alg: 'HS256', typ: 'JWT' }, { sub: '1', exp: 9 }), key)).toEqual({
      sub: '1',
      exp: 9,
    });
  });

  it.each([
    [
      'another key',
      signed(
        { alg: 'HS256' },
        { sub: '1' },
        createSecretKey(Buffer.from('other-secret-0123456789')),
      ),
    ],
    ['alg none', `${b64({ alg: 'none' })}.${b64({ sub: '1' })}.`],
    ['HS512', signed({ alg: 'HS512' }, { sub: '1' })],
    ['two parts', `${b64({ alg: 'HS256' })}.${b64({ sub: '1' })}`],
    ['four parts', `${signed({ alg: 'HS256' }, { sub: '1' })}.x`],
    ['a truncated signature', signed({ alg: 'HS256' }, { sub: '1' }).slice(0, -4)],
    [
      'a payload that is not JSON',
      signed({ alg: 'HS256' }, { sub: '1' }).replace(/\.[^.]+\./, '.bm90IGpzb24.'),
    ],
    ['a payload that is an array', signed({ alg: 'HS256' }, [1, 2])],
    ['a header that is not JSON', `bm90.${b64({ sub: '1' })}.sig`],
    ['an empty string', ''],
  ])('refuses %s', (_what, token) => {
    expect(verifyHs256(token, key)).toBeNull();
  });
});
