import { createHmac, createSign, generateKeyPairSync } from 'node:crypto';
import request from 'supertest';
import { expectErrorBody } from '../support/error-assertions';
import { startTestApp, TestApp } from '../support/test-app';
import { useTestApp } from '../support/use-test-app';
import { TEST_JWT_SECRET } from '../support/test-config';

const b64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

/** A JWT built by hand, so each part can be made wrong on purpose. */
function forge(
  claims: Record<string, unknown>,
  { alg = 'HS256', secret = TEST_JWT_SECRET }: { alg?: string; secret?: string } = {},
): string {
  const input = `${b64url(JSON.stringify({ alg, typ: 'JWT' }))}.${b64url(JSON.stringify(claims))}`;
  if (alg === 'none') return `${input}.`;
  const hash = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' }[alg] ?? 'sha256';
  return `${input}.${createHmac(hash, secret).update(input).digest('base64url')}`;
}

function rsaSigned(claims: Record<string, unknown>): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const input = `${b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }))}.${b64url(JSON.stringify(claims))}`;
  return `${input}.${createSign('RSA-SHA256').update(input).sign(privateKey).toString('base64url')}`;
}

describe('authentication and authorisation (HTTP contract)', () => {
  const t = useTestApp();

  const api = () => request(t.baseUrl);
  const balanceOf = (userId: number, authorization?: string) => {
    const req = api().get(`/api/v1/users/${userId}/balance`);
    return authorization === undefined ? req : req.set('Authorization', authorization);
  };
  const valid = (claims: Record<string, unknown> = {}) =>
    forge({ sub: '5', iat: now(), exp: now() + 600, ...claims });

  it('accepts a valid HS256 token with sub as a digit string or a number', async () => {
    await balanceOf(5, `Bearer ${valid()}`).expect(200);
    await balanceOf(5, `Bearer ${valid({ sub: 5 })}`).expect(200);
  });

  it('accepts the scheme in any case and the token signed by the app itself', async () => {
    await balanceOf(5, `bearer ${valid()}`).expect(200);
    await balanceOf(5, `Bearer ${t.token(5)}`).expect(200);
  });

  it('allows 30 s of clock skew: a token that expired 20 s ago or starts in 20 s is accepted', async () => {
    await balanceOf(5, `Bearer ${forge({ sub: 5, exp: now() - 20 })}`).expect(200);
    await balanceOf(5, `Bearer ${forge({ sub: 5, nbf: now() + 20, exp: now() + 600 })}`).expect(
      200,
    );
  });

  describe('with JWT_ISSUER and JWT_AUDIENCE set', () => {
    let strict: TestApp;
    beforeAll(async () => {
      strict = await startTestApp({ JWT_ISSUER: 'https://id.example', JWT_AUDIENCE: 'shop-api' });
    });
    afterAll(() => strict.close());
    const balance = (claims: Record<string, unknown>) =>
      request(strict.baseUrl)
        .get('/api/v1/users/5/balance')
        .set('Authorization', `Bearer ${forge({ sub: 5, exp: now() + 600, ...claims })}`);

    it('accepts tokens of that issuer for that audience, and its own tokens', async () => {
      await balance({ iss: 'https://id.example', aud: 'shop-api' }).expect(200);
      await request(strict.baseUrl).get('/api/v1/users/5/balance').set(strict.auth(5)).expect(200);
    });

    it.each([
      ['no iss and no aud', {}],
      ['another issuer', { iss: 'https://other.example', aud: 'shop-api' }],
      ['another audience', { iss: 'https://id.example', aud: 'other-api' }],
    ])('answers 401 for %s', async (_label, claims) => {
      expectErrorBody(await balance(claims), 401, 'UNAUTHORIZED', '/api/v1/users/5/balance');
    });
  });

  describe('401 UNAUTHORIZED in the standard body', () => {
    const cases: Array<[string, () => string | undefined]> = [
      ['no Authorization header', () => undefined],
      ['an empty header', () => ''],
      ['the scheme alone', () => 'Bearer'],
      ['the scheme and blanks', () => 'Bearer    '],
      ['another scheme', () => `Basic ${Buffer.from('u:p').toString('base64')}`],
      ['a token without the scheme', () => valid()],
      ['two tokens', () => `Bearer ${valid()} ${valid()}`],
      ['garbage', () => 'Bearer not-a-jwt'],
      ['two segments', () => 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI1In0'],
      ['bad base64 JSON', () => 'Bearer @@@.###.$$$'],
      [
        'a bad signature',
        () =>
          `Bearer ${forge({ sub: '5', exp: now() + 600 }, { secret: 'some-other-secret-0123456789' })}`,
      ],
      ['a truncated signature', () => `Bearer ${valid().slice(0, -4)}`],
      [
        'a tampered payload',
        () => {
          const [h, , s] = valid().split('.');
          return `Bearer ${h}.${b64url(JSON.stringify({ sub: '5', role: 'admin', exp: now() + 600 }))}.${s}`;
        },
      ],
      [
        'an expired token',
        () => `Bearer ${forge({ sub: '5', iat: now() - 7200, exp: now() - 3600 })}`,
      ],
      [
        'a token not valid yet (nbf)',
        () => `Bearer ${forge({ sub: '5', nbf: now() + 3600, exp: now() + 7200 })}`,
      ],
      ['a token without exp (it would never expire)', () => `Bearer ${forge({ sub: 5 })}`],
      ['a token that expired 40 s ago', () => `Bearer ${forge({ sub: 5, exp: now() - 40 })}`],
      ['alg "none"', () => `Bearer ${forge({ sub: '5', exp: now() + 600 }, { alg: 'none' })}`],
      [
        'HS512 with the right secret',
        () => `Bearer ${forge({ sub: '5', exp: now() + 600 }, { alg: 'HS512' })}`,
      ],
      [
        'HS384 with the right secret',
        () => `Bearer ${forge({ sub: '5', exp: now() + 600 }, { alg: 'HS384' })}`,
      ],
      [
        'RS256 header, HMAC-signed with the secret',
        () => `Bearer ${forge({ sub: '5', exp: now() + 600 }, { alg: 'RS256' })}`,
      ],
      ['RS256, RSA-signed', () => `Bearer ${rsaSigned({ sub: '5', exp: now() + 600 })}`],
      ['no sub', () => `Bearer ${forge({ exp: now() + 600 })}`],
      ['sub 0', () => `Bearer ${valid({ sub: 0 })}`],
      ['sub -5', () => `Bearer ${valid({ sub: -5 })}`],
      ['sub 5.5', () => `Bearer ${valid({ sub: 5.5 })}`],
      ['sub "abc"', () => `Bearer ${valid({ sub: 'abc' })}`],
      ['sub "05"', () => `Bearer ${valid({ sub: '05' })}`],
      ['sub "5e0"', () => `Bearer ${valid({ sub: '5e0' })}`],
      ['sub beyond 2^53', () => `Bearer ${valid({ sub: '99999999999999999999' })}`],
      ['sub true', () => `Bearer ${valid({ sub: true })}`],
      ['sub null', () => `Bearer ${valid({ sub: null })}`],
    ];

    it.each(cases)('for %s', async (_label, header) => {
      const res = await balanceOf(5, header());
      expectErrorBody(res, 401, 'UNAUTHORIZED', '/api/v1/users/5/balance');
    });

    it('also on a write, which then changes nothing', async () => {
      const res = await api()
        .post('/api/v1/users/5/balance/charge')
        .set('Authorization', `Bearer ${forge({ sub: '5', exp: now() + 600 }, { alg: 'none' })}`)
        .send({ amount: 100 });
      expectErrorBody(res, 401, 'UNAUTHORIZED');
      expect(await t.dataSource.query('SELECT * FROM balances')).toEqual([]);
    });

    it('for an admin-only route with an admin claim but a bad signature', async () => {
      const token = forge(
        { sub: '1', role: 'admin', exp: now() + 600 },
        { secret: 'some-other-secret-0123456789' },
      );
      const res = await api()
        .post('/api/v1/products')
        .set('Authorization', `Bearer ${token}`)
        .send({ name: 'x', price: 1, stock: 1 });
      expectErrorBody(res, 401, 'UNAUTHORIZED', '/api/v1/products');
      expect(await t.dataSource.query('SELECT * FROM products')).toEqual([]);
    });
  });

  describe('403 FORBIDDEN', () => {
    it("for another user's balance, balance history and charge", async () => {
      const as6 = t.auth(6);
      expectErrorBody(await api().get('/api/v1/users/5/balance').set(as6), 403, 'FORBIDDEN');
      expectErrorBody(
        await api().get('/api/v1/users/5/balance/history').set(as6),
        403,
        'FORBIDDEN',
      );
      expectErrorBody(
        await api().post('/api/v1/users/5/balance/charge').set(as6).send({ amount: 1 }),
        403,
        'FORBIDDEN',
      );
      expect(await t.dataSource.query('SELECT * FROM balances')).toEqual([]);
    });

    it('for a non-admin on admin-only routes', async () => {
      expectErrorBody(
        await api().post('/api/v1/products').set(t.auth(5)).send({ name: 'x', price: 1, stock: 1 }),
        403,
        'FORBIDDEN',
        '/api/v1/products',
      );
      expectErrorBody(
        await api().post('/api/v1/products/1/stock').set(t.auth(5)).send({ quantity: 1 }),
        403,
        'FORBIDDEN',
      );
    });

    it('for a role other than exactly "admin"', async () => {
      for (const role of ['Admin', 'ADMIN', 'superuser', ['admin'], true]) {
        const token = forge({ sub: '5', role, exp: now() + 600 });
        const res = await api()
          .post('/api/v1/products')
          .set('Authorization', `Bearer ${token}`)
          .send({ name: 'x', price: 1, stock: 1 });
        expectErrorBody(res, 403, 'FORBIDDEN');
      }
      expect(await t.dataSource.query('SELECT * FROM products')).toEqual([]);
    });
  });

  describe('admins', () => {
    it("may read anyone's balance and history", async () => {
      const admin = t.auth(1, { admin: true });
      await api().get('/api/v1/users/5/balance').set(admin).expect(200);
      await api().get('/api/v1/users/5/balance/history').set(admin).expect(200);
    });

    it('may use admin-only routes with a hand-made admin token', async () => {
      const token = forge({ sub: 77, role: 'admin', exp: now() + 600 });
      await api()
        .post('/api/v1/products')
        .set('Authorization', `Bearer ${token}`)
        .send({ name: 'x', price: 1, stock: 1 })
        .expect(201);
    });
  });

  describe('public routes', () => {
    it('need no token', async () => {
      await api().get('/api/v1/products').expect(200);
      await api().get('/health').expect(200);
    });

    it('still answer when a token is bad (it is ignored, not trusted)', async () => {
      await api().get('/api/v1/products').set('Authorization', 'Bearer garbage').expect(200);
      await api()
        .get('/api/v1/products')
        .set('Authorization', `Bearer ${forge({ sub: '1', role: 'admin' }, { alg: 'none' })}`)
        .expect(200);
    });
  });
});
