import { createHmac, generateKeyPairSync, createSign } from 'node:crypto';
import { AppConfig } from '../../config/app-config';
import { TokenVerifier } from './token-verifier';

const SECRET = 'unit-test-secret-0123456789';

const b64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/** Builds a JWT by hand, so every header and claim can be made wrong on purpose. */
function forge(
  claims: Record<string, unknown>,
  {
    alg = 'HS256',
    secret = SECRET,
    header = {},
  }: { alg?: string; secret?: string; header?: Record<string, unknown> } = {},
): string {
  const input = `${b64url(JSON.stringify({ alg, typ: 'JWT', ...header }))}.${b64url(JSON.stringify(claims))}`;
  if (alg === 'none') return `${input}.`;
  const hash = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' }[alg] ?? 'sha256';
  return `${input}.${createHmac(hash, secret).update(input).digest('base64url')}`;
}

const now = () => Math.floor(Date.now() / 1000);

describe('TokenVerifier', () => {
  const verifier = new TokenVerifier(Object.assign(new AppConfig(), { jwtSecret: SECRET }));

  it('reads a valid token it signed itself', () => {
    const actor = verifier.verify(verifier.sign(12));
    expect(actor).toEqual(expect.objectContaining({ userId: 12, isAdmin: false }));
  });

  it('reads the admin role', () => {
    expect(verifier.verify(verifier.sign(3, true))).toEqual(
      expect.objectContaining({ userId: 3, isAdmin: true }),
    );
  });

  it('accepts sub as a number or a digit string', () => {
    expect(verifier.verify(forge({ sub: 5, exp: now() + 60 }))?.userId).toBe(5);
    expect(verifier.verify(forge({ sub: '5', exp: now() + 60 }))?.userId).toBe(5);
  });

  it('treats any role other than "admin" as a plain user', () => {
    expect(verifier.verify(forge({ sub: 5, role: 'Admin', exp: now() + 60 }))?.isAdmin).toBe(false);
    expect(verifier.verify(forge({ sub: 5, role: ['admin'], exp: now() + 60 }))?.isAdmin).toBe(
      false,
    );
    expect(verifier.verify(forge({ sub: 5, role: true, exp: now() + 60 }))?.isAdmin).toBe(false);
  });

  it.each([
    ['0', 0],
    ['negative', -1],
    ['fraction', 1.5],
    ['zero string', '0'],
    ['leading zero', '01'],
    ['exponent', '1e3'],
    ['padded', ' 1'],
    ['word', 'abc'],
    ['too big', Number.MAX_SAFE_INTEGER + 1],
    ['too big string', '99999999999999999999'],
    ['boolean', true],
    ['object', { id: 1 }],
    ['null', null],
  ])('rejects sub %s', (_label, sub) => {
    expect(verifier.verify(forge({ sub, exp: now() + 60 }))).toBeNull();
  });

  it('rejects a token without sub', () => {
    expect(verifier.verify(forge({ role: 'admin', exp: now() + 60 }))).toBeNull();
  });

  it('rejects an expired token', () => {
    expect(verifier.verify(forge({ sub: 1, iat: now() - 120, exp: now() - 60 }))).toBeNull();
  });

  it('rejects a token that is not yet valid (nbf)', () => {
    expect(verifier.verify(forge({ sub: 1, nbf: now() + 3600, exp: now() + 7200 }))).toBeNull();
  });

  it('requires exp: a token without one would be valid forever', () => {
    expect(verifier.verify(forge({ sub: 1 }))).toBeNull();
    expect(verifier.verify(forge({ sub: 1, iat: now() }))).toBeNull();
    expect(verifier.verify(forge({ sub: 1, exp: String(now() + 60) }))).toBeNull();
  });

  it('allows 30 s of clock skew on exp and nbf, and no more', () => {
    expect(verifier.verify(forge({ sub: 1, exp: now() - 20 }))?.userId).toBe(1);
    expect(verifier.verify(forge({ sub: 1, exp: now() - 40 }))).toBeNull();
    expect(verifier.verify(forge({ sub: 1, nbf: now() + 20, exp: now() + 600 }))?.userId).toBe(1);
    expect(verifier.verify(forge({ sub: 1, nbf: now() + 40, exp: now() + 600 }))).toBeNull();
  });

  it('ignores iss and aud when JWT_ISSUER and JWT_AUDIENCE are not set', () => {
    expect(
      verifier.verify(forge({ sub: 1, iss: 'anyone', aud: 'anything', exp: now() + 60 }))?.userId,
    ).toBe(1);
  });

  describe('with JWT_ISSUER and JWT_AUDIENCE', () => {
    const strict = new TokenVerifier(
      Object.assign(new AppConfig(), {
        jwtSecret: SECRET,
        jwtIssuer: 'https://id.example',
        jwtAudience: 'shop-api',
      }),
    );
    const claims = { sub: 1, iss: 'https://id.example', aud: 'shop-api', exp: now() + 60 };

    it('accepts a token from that issuer for that audience (one of several audiences too)', () => {
      expect(strict.verify(forge(claims))?.userId).toBe(1);
      expect(strict.verify(forge({ ...claims, aud: ['other', 'shop-api'] }))?.userId).toBe(1);
    });

    it.each([
      ['another issuer', { iss: 'https://evil.example' }],
      ['no issuer', { iss: undefined }],
      ['another audience', { aud: 'other-api' }],
      ['no audience', { aud: undefined }],
    ])('rejects %s', (_label, override) => {
      expect(strict.verify(forge({ ...claims, ...override }))).toBeNull();
    });

    it('signs tokens it accepts itself', () => {
      expect(strict.verify(strict.sign(7))?.userId).toBe(7);
    });
  });

  it('rejects a token signed with another secret', () => {
    expect(
      verifier.verify(forge({ sub: 1, exp: now() + 60 }, { secret: 'another-secret-0123456789' })),
    ).toBeNull();
  });

  it('rejects alg "none"', () => {
    expect(verifier.verify(forge({ sub: 1, exp: now() + 60 }, { alg: 'none' }))).toBeNull();
  });

  it('rejects HS512 and HS384 even with the right secret', () => {
    expect(verifier.verify(forge({ sub: 1, exp: now() + 60 }, { alg: 'HS512' }))).toBeNull();
    expect(verifier.verify(forge({ sub: 1, exp: now() + 60 }, { alg: 'HS384' }))).toBeNull();
  });

  it('rejects an RS256 header, whether HMAC-signed with the secret or really RSA-signed', () => {
    expect(verifier.verify(forge({ sub: 1, exp: now() + 60 }, { alg: 'RS256' }))).toBeNull();
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const input = `${b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }))}.${b64url(JSON.stringify({ sub: 1, exp: now() + 60 }))}`;
    const signature = createSign('RSA-SHA256').update(input).sign(privateKey).toString('base64url');
    expect(verifier.verify(`${input}.${signature}`)).toBeNull();
  });

  it('rejects a tampered payload', () => {
    const [header, , signature] = verifier.sign(1).split('.');
    const payload = b64url(JSON.stringify({ sub: '1', role: 'admin', exp: now() + 60 }));
    expect(verifier.verify(`${header}.${payload}.${signature}`)).toBeNull();
  });

  it.each(['', 'garbage', 'a.b.c', 'a.b', '...', 'eyJhbGciOiJIUzI1NiJ9.e30'])(
    'rejects the malformed token %p',
    (token) => {
      expect(verifier.verify(token)).toBeNull();
    },
  );

  it('signs tokens that expire', () => {
    const token = verifier.sign(4, false, 60);
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as Record<
      string,
      unknown
    >;
    expect(claims.sub).toBe('4');
    expect(claims.exp).toBeGreaterThan(now());
    expect(claims.exp).toBeLessThanOrEqual(now() + 61);
    expect(claims.role).toBeUndefined();
  });
});
