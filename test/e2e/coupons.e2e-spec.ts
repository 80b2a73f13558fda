import request from 'supertest';
import { useTestApp } from '../support/use-test-app';

describe('coupons (HTTP contract)', () => {
  const t = useTestApp();
  const ADMIN = 1;
  const USER = 42;
  const OTHER = 43;

  const http = () => request(t.baseUrl);
  const admin = () => t.auth(ADMIN, { admin: true });
  const hour = 3_600_000;
  const iso = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();

  const validCoupon = (overrides: Record<string, unknown> = {}) => ({
    name: 'Welcome 5,000',
    discountType: 'FIXED',
    discountValue: 5_000,
    totalQuantity: 10,
    validDays: 30,
    ...overrides,
  });

  async function createCoupon(overrides: Record<string, unknown> = {}): Promise<number> {
    const { body } = await http()
      .post('/api/v1/coupons')
      .set(admin())
      .send(validCoupon(overrides))
      .expect(201);
    return body.id;
  }

  const issue = (userId: number, couponId: unknown, auth = t.auth(userId)) =>
    http().post(`/api/v1/users/${userId}/coupons`).set(auth).send({ couponId });

  function expectError(response: request.Response, status: number, code: string) {
    expect({ status: response.status, code: response.body.code }).toEqual({ status, code });
    expect(response.body).toEqual(
      expect.objectContaining({
        statusCode: status,
        code,
        message: expect.any(String),
        path: expect.any(String),
      }),
    );
  }

  describe('POST /coupons', () => {
    it('creates a FIXED coupon with the defaults (admin)', async () => {
      const response = await http()
        .post('/api/v1/coupons')
        .set(admin())
        .send(validCoupon())
        .expect(201);

      expect(response.body).toEqual({
        id: expect.any(Number),
        name: 'Welcome 5,000',
        discountType: 'FIXED',
        discountValue: 5_000,
        maxDiscountAmount: null,
        minOrderAmount: 0,
        totalQuantity: 10,
        issuedQuantity: 0,
        remainingQuantity: 10,
        issueStartsAt: null,
        issueEndsAt: null,
        validDays: 30,
        createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      });
    });

    it('creates a RATE coupon with cap, minimum and window', async () => {
      const body = {
        name: '  Autumn 15%  ',
        discountType: 'RATE',
        discountValue: 15,
        maxDiscountAmount: 20_000,
        minOrderAmount: 50_000,
        totalQuantity: 1_000,
        issueStartsAt: '2026-12-01T09:00:00+09:00',
        issueEndsAt: '2026-12-31T23:59:59.999Z',
        validDays: 7,
      };

      const response = await http().post('/api/v1/coupons').set(admin()).send(body).expect(201);

      expect(response.body).toMatchObject({
        name: 'Autumn 15%',
        discountType: 'RATE',
        discountValue: 15,
        maxDiscountAmount: 20_000,
        minOrderAmount: 50_000,
        totalQuantity: 1_000,
        issuedQuantity: 0,
        remainingQuantity: 1_000,
        issueStartsAt: '2026-12-01T00:00:00.000Z',
        issueEndsAt: '2026-12-31T23:59:59.999Z',
        validDays: 7,
      });
      const { body: read } = await http().get(`/api/v1/coupons/${response.body.id}`).expect(200);
      expect(read).toEqual(response.body);
    });

    it('accepts explicit nulls for the optional fields', async () => {
      const response = await http()
        .post('/api/v1/coupons')
        .set(admin())
        .send(
          validCoupon({
            maxDiscountAmount: null,
            minOrderAmount: null,
            issueStartsAt: null,
            issueEndsAt: null,
          }),
        )
        .expect(201);
      expect(response.body).toMatchObject({
        maxDiscountAmount: null,
        minOrderAmount: 0,
        issueStartsAt: null,
      });
    });

    it('401 without a token, 403 for a non-admin', async () => {
      expectError(await http().post('/api/v1/coupons').send(validCoupon()), 401, 'UNAUTHORIZED');
      expectError(
        await http().post('/api/v1/coupons').set(t.auth(USER)).send(validCoupon()),
        403,
        'FORBIDDEN',
      );
      const [{ count }] = await t.dataSource.query('SELECT COUNT(*) AS count FROM coupons');
      expect(Number(count)).toBe(0);
    });

    it.each<[string, Record<string, unknown>, string]>([
      ['name missing', { name: undefined }, 'name'],
      ['name empty', { name: '' }, 'name'],
      ['name blank', { name: '   ' }, 'name'],
      ['name over 100 characters', { name: 'x'.repeat(101) }, 'name'],
      ['name with a control character', { name: 'bad\nname' }, 'name'],
      ['name not a string', { name: 12 }, 'name'],
      ['discountType unknown', { discountType: 'PERCENT' }, 'discountType'],
      ['discountType missing', { discountType: undefined }, 'discountType'],
      ['discountValue 0', { discountValue: 0 }, 'discountValue'],
      ['discountValue fractional', { discountValue: 10.5 }, 'discountValue'],
      ['discountValue a string', { discountValue: '5000' }, 'discountValue'],
      ['FIXED discountValue over 1,000,000,000', { discountValue: 1_000_000_001 }, 'discountValue'],
      [
        'RATE discountValue over 100',
        { discountType: 'RATE', discountValue: 101 },
        'discountValue',
      ],
      [
        'maxDiscountAmount 0',
        { discountType: 'RATE', discountValue: 10, maxDiscountAmount: 0 },
        'maxDiscountAmount',
      ],
      ['maxDiscountAmount on a FIXED coupon', { maxDiscountAmount: 1_000 }, 'maxDiscountAmount'],
      ['minOrderAmount negative', { minOrderAmount: -1 }, 'minOrderAmount'],
      ['minOrderAmount a string', { minOrderAmount: '1000' }, 'minOrderAmount'],
      ['totalQuantity 0', { totalQuantity: 0 }, 'totalQuantity'],
      ['totalQuantity over 10,000,000', { totalQuantity: 10_000_001 }, 'totalQuantity'],
      ['totalQuantity missing', { totalQuantity: undefined }, 'totalQuantity'],
      ['issueStartsAt not a date', { issueStartsAt: 'tomorrow' }, 'issueStartsAt'],
      [
        'issueStartsAt an impossible date',
        { issueStartsAt: '2026-02-30T00:00:00Z' },
        'issueStartsAt',
      ],
      [
        'issueStartsAt without a time zone',
        { issueStartsAt: '2026-12-01T00:00:00' },
        'issueStartsAt',
      ],
      ['issueStartsAt a number', { issueStartsAt: 1764547200000 }, 'issueStartsAt'],
      ['issueEndsAt not a date', { issueEndsAt: '31/12/2026' }, 'issueEndsAt'],
      [
        'issueEndsAt before issueStartsAt',
        { issueStartsAt: '2026-12-02T00:00:00Z', issueEndsAt: '2026-12-01T00:00:00Z' },
        'issueEndsAt',
      ],
      [
        'issueEndsAt equal to issueStartsAt',
        { issueStartsAt: '2026-12-01T00:00:00Z', issueEndsAt: '2026-12-01T00:00:00.000Z' },
        'issueEndsAt',
      ],
      // Outside what a DATETIME column holds (1000-01-01 to 9999-12-31, UTC): 500 before.
      ['issueStartsAt in year 0000', { issueStartsAt: '0000-01-01T00:00:00Z' }, 'issueStartsAt'],
      ['issueStartsAt in year 0999', { issueStartsAt: '0999-12-31T23:59:59Z' }, 'issueStartsAt'],
      [
        'issueEndsAt in year 9999 with a negative offset (year 10000 in UTC)',
        { issueEndsAt: '9999-12-31T23:00:00-05:00' },
        'issueEndsAt',
      ],
      ['issueEndsAt in year 10000', { issueEndsAt: '10000-01-01T00:00:00Z' }, 'issueEndsAt'],
      [
        'issueEndsAt in year +010000 (expanded ISO year)',
        { issueEndsAt: '+010000-01-01T00:00:00Z' },
        'issueEndsAt',
      ],
      ['validDays 0', { validDays: 0 }, 'validDays'],
      ['validDays over 3650', { validDays: 3651 }, 'validDays'],
      ['validDays missing', { validDays: undefined }, 'validDays'],
      ['an unknown field', { issuedQuantity: 5 }, 'issuedQuantity'],
    ])('400 VALIDATION_FAILED: %s', async (_, overrides, field) => {
      const response = await http()
        .post('/api/v1/coupons')
        .set(admin())
        .send(validCoupon(overrides));

      expectError(response, 400, 'VALIDATION_FAILED');
      expect(response.body.details).toEqual(
        expect.arrayContaining([expect.objectContaining({ field })]),
      );
      const [{ count }] = await t.dataSource.query('SELECT COUNT(*) AS count FROM coupons');
      expect(Number(count)).toBe(0);
    });

    it('accepts the first and last instants a DATETIME column holds, and reads them back', async () => {
      const window = {
        issueStartsAt: '1000-01-01T00:00:00Z',
        issueEndsAt: '9999-12-31T23:59:59.999Z',
      };
      const created = await http().post('/api/v1/coupons').set(admin()).send(validCoupon(window));
      expect(created.status).toBe(201);
      const read = await http().get(`/api/v1/coupons/${created.body.id}`).expect(200);
      expect([read.body.issueStartsAt, read.body.issueEndsAt]).toEqual([
        '1000-01-01T00:00:00.000Z',
        '9999-12-31T23:59:59.999Z',
      ]);
    });

    it('400 for a body that is not JSON', async () => {
      const response = await http()
        .post('/api/v1/coupons')
        .set(admin())
        .set('Content-Type', 'application/json')
        .send('{"name":');
      expectError(response, 400, 'VALIDATION_FAILED');
    });
  });

  describe('GET /coupons/{couponId}', () => {
    it('is public and counts what is issued and what remains', async () => {
      const couponId = await createCoupon({ totalQuantity: 3 });
      await issue(USER, couponId).expect(201);
      await issue(OTHER, couponId).expect(201);

      const { body } = await http().get(`/api/v1/coupons/${couponId}`).expect(200);

      expect(body).toMatchObject({
        id: couponId,
        totalQuantity: 3,
        issuedQuantity: 2,
        remainingQuantity: 1,
      });
    });

    it('404 COUPON_NOT_FOUND, 400 for an id that is not a positive integer', async () => {
      expectError(await http().get('/api/v1/coupons/999999'), 404, 'COUPON_NOT_FOUND');
      expectError(await http().get('/api/v1/coupons/abc'), 400, 'VALIDATION_FAILED');
      expectError(await http().get('/api/v1/coupons/0'), 400, 'VALIDATION_FAILED');
    });
  });

  describe('POST /users/{userId}/coupons', () => {
    it('201 with the issued coupon', async () => {
      const couponId = await createCoupon({
        name: '10% off',
        discountType: 'RATE',
        discountValue: 10,
        maxDiscountAmount: 3_000,
        minOrderAmount: 10_000,
        validDays: 7,
      });
      const before = Date.now();

      const { body } = await issue(USER, couponId).expect(201);

      expect(body).toEqual({
        id: expect.any(Number),
        couponId,
        userId: USER,
        name: '10% off',
        discountType: 'RATE',
        discountValue: 10,
        maxDiscountAmount: 3_000,
        minOrderAmount: 10_000,
        status: 'AVAILABLE',
        issuedAt: expect.any(String),
        expiresAt: expect.any(String),
        usedAt: null,
      });
      const issuedAt = Date.parse(body.issuedAt);
      expect(issuedAt).toBeGreaterThanOrEqual(before - 1_000);
      expect(Date.parse(body.expiresAt) - issuedAt).toBe(7 * 24 * hour);
    });

    it('an admin may issue to any user', async () => {
      const couponId = await createCoupon();
      const { body } = await issue(USER, couponId, admin()).expect(201);
      expect(body.userId).toBe(USER);
    });

    it('401 without a token, 403 for another user', async () => {
      const couponId = await createCoupon();
      expectError(
        await http().post(`/api/v1/users/${USER}/coupons`).send({ couponId }),
        401,
        'UNAUTHORIZED',
      );
      expectError(await issue(USER, couponId, t.auth(OTHER)), 403, 'FORBIDDEN');
      const { body } = await http().get(`/api/v1/coupons/${couponId}`).expect(200);
      expect(body.issuedQuantity).toBe(0);
    });

    it('404 COUPON_NOT_FOUND', async () => {
      expectError(await issue(USER, 999_999), 404, 'COUPON_NOT_FOUND');
    });

    it('409 COUPON_ALREADY_ISSUED for a second copy', async () => {
      const couponId = await createCoupon();
      await issue(USER, couponId).expect(201);

      expectError(await issue(USER, couponId), 409, 'COUPON_ALREADY_ISSUED');

      const { body } = await http().get(`/api/v1/coupons/${couponId}`).expect(200);
      expect(body.issuedQuantity).toBe(1);
    });

    it('409 COUPON_SOLD_OUT once every copy is issued', async () => {
      const couponId = await createCoupon({ totalQuantity: 1 });
      await issue(USER, couponId).expect(201);

      expectError(await issue(OTHER, couponId), 409, 'COUPON_SOLD_OUT');
    });

    it('409 COUPON_NOT_ISSUABLE before the window opens and after it closes', async () => {
      const notOpen = await createCoupon({ issueStartsAt: iso(hour), issueEndsAt: iso(2 * hour) });
      const closed = await createCoupon({ issueStartsAt: iso(-2 * hour), issueEndsAt: iso(-hour) });
      const open = await createCoupon({ issueStartsAt: iso(-hour), issueEndsAt: iso(hour) });

      expectError(await issue(USER, notOpen), 409, 'COUPON_NOT_ISSUABLE');
      expectError(await issue(USER, closed), 409, 'COUPON_NOT_ISSUABLE');
      await issue(USER, open).expect(201);
    });

    it('a window that opens later becomes issuable once it is open', async () => {
      const couponId = await createCoupon({ issueStartsAt: iso(hour) });
      expectError(await issue(USER, couponId), 409, 'COUPON_NOT_ISSUABLE');

      await t.dataSource.query('UPDATE coupons SET issue_starts_at = ? WHERE id = ?', [
        new Date(Date.now() - 1),
        couponId,
      ]);

      await issue(USER, couponId).expect(201);
    });

    it.each<[string, unknown]>([
      ['missing', undefined],
      ['0', 0],
      ['a string', '1'],
      ['fractional', 1.5],
    ])('400 VALIDATION_FAILED when couponId is %s', async (_, couponId) => {
      const response = await issue(USER, couponId);
      expectError(response, 400, 'VALIDATION_FAILED');
      expect(response.body.details).toEqual([expect.objectContaining({ field: 'couponId' })]);
    });

    it('400 for an unknown body field or a bad userId', async () => {
      const couponId = await createCoupon();
      expectError(
        await http()
          .post(`/api/v1/users/${USER}/coupons`)
          .set(t.auth(USER))
          .send({ couponId, userId: USER }),
        400,
        'VALIDATION_FAILED',
      );
      expectError(
        await http().post('/api/v1/users/abc/coupons').set(admin()).send({ couponId }),
        400,
        'VALIDATION_FAILED',
      );
    });
  });

  describe('GET /users/{userId}/coupons', () => {
    const list = (userId: number, query = '', auth = t.auth(userId)) =>
      http().get(`/api/v1/users/${userId}/coupons${query}`).set(auth);

    /** Issues three coupons to USER and one to OTHER, then makes USER's first EXPIRED and second USED. */
    async function holdings() {
      const ids: number[] = [];
      for (const name of ['expiring', 'spent', 'fresh']) {
        const couponId = await createCoupon({ name });
        ids.push((await issue(USER, couponId).expect(201)).body.id);
      }
      await issue(OTHER, await createCoupon({ name: 'not mine' })).expect(201);
      const [expired, used, available] = ids;
      await t.dataSource.query('UPDATE issued_coupons SET expires_at = ? WHERE id = ?', [
        new Date(Date.now() - 1_000),
        expired,
      ]);
      await t.dataSource.query(
        "UPDATE issued_coupons SET status = 'USED', used_at = ? WHERE id = ?",
        [new Date(), used],
      );
      return { expired, used, available };
    }

    it("lists the user's coupons, newest first, with their status at read time", async () => {
      const { expired, used, available } = await holdings();

      const { body } = await list(USER).expect(200);

      expect(
        body.map((c: { id: number; name: string; status: string }) => [c.id, c.name, c.status]),
      ).toEqual([
        [available, 'fresh', 'AVAILABLE'],
        [used, 'spent', 'USED'],
        [expired, 'expiring', 'EXPIRED'],
      ]);
      expect(body[1].usedAt).toEqual(expect.any(String));
      expect(body[0].usedAt).toBeNull();
    });

    it.each([
      ['AVAILABLE', 'available'],
      ['USED', 'used'],
      ['EXPIRED', 'expired'],
    ] as const)('filters by status=%s with the same expiry rule', async (status, which) => {
      const ids = await holdings();

      const { body } = await list(USER, `?status=${status}`).expect(200);

      expect(body.map((c: { id: number; status: string }) => [c.id, c.status])).toEqual([
        [ids[which], status],
      ]);
    });

    it('a used coupon past its expiry stays USED', async () => {
      const { used } = await holdings();
      await t.dataSource.query('UPDATE issued_coupons SET expires_at = ? WHERE id = ?', [
        new Date(Date.now() - 1_000),
        used,
      ]);

      const { body } = await list(USER, '?status=USED').expect(200);

      expect(body.map((c: { id: number }) => c.id)).toEqual([used]);
      expect((await list(USER, '?status=EXPIRED').expect(200)).body).toHaveLength(1);
    });

    it('an empty array for a user without coupons', async () => {
      expect((await list(USER).expect(200)).body).toEqual([]);
    });

    it('400 for an unknown status or query field', async () => {
      for (const query of [
        '?status=available',
        '?status=',
        '?status=DELETED',
        '?status=USED&status=EXPIRED',
        '?page=1',
      ]) {
        expectError(await list(USER, query), 400, 'VALIDATION_FAILED');
      }
    });

    it("401 without a token, 403 for another user's coupons, 200 for an admin", async () => {
      await holdings();
      expectError(await http().get(`/api/v1/users/${USER}/coupons`), 401, 'UNAUTHORIZED');
      expectError(await list(USER, '', t.auth(OTHER)), 403, 'FORBIDDEN');
      expect((await list(USER, '', admin()).expect(200)).body).toHaveLength(3);
    });
  });

  it('Swagger documents every coupon route', async () => {
    const { body } = await http().get('/docs-json').expect(200);
    expect(Object.keys(body.paths['/api/v1/coupons'])).toEqual(['post']);
    expect(Object.keys(body.paths['/api/v1/coupons/{couponId}'])).toEqual(['get']);
    expect(Object.keys(body.paths['/api/v1/users/{userId}/coupons']).sort()).toEqual([
      'get',
      'post',
    ]);
    expect(Object.keys(body.paths['/api/v1/users/{userId}/coupons'].post.responses).sort()).toEqual(
      expect.arrayContaining(['201', '400', '401', '403', '404', '409']),
    );
  });
});
