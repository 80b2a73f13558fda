import request from 'supertest';
import { CouponService } from '../../src/modules/coupon';
import { IssuedCouponController } from '../../src/modules/coupon/presentation/issued-coupon.controller';
import { waitFor } from '../support/keyed-traffic';
import { startTestApp, TestApp } from '../support/test-app';
import { useTestApp } from '../support/use-test-app';

/**
 * The answers Fastify's preHandler hook gives for a coupon this process knows sold out
 * (installSoldOutAnswers): the same status, body and headers as the controller's, in the same
 * precedence, and everything it cannot vouch for still answered by Nest.
 */
describe('coupon issue: a known sold-out coupon answered before Nest', () => {
  const t = useTestApp({ env: { CORS_ORIGINS: 'http://localhost:5173' } });
  const HOLDER = 42;
  const LATE = 43;
  const http = () => request(t.baseUrl);
  const issue = (userId: number | string, body: unknown, auth = t.auth(Number(userId) || 1)) =>
    http()
      .post(`/api/v1/users/${userId}/coupons`)
      .set(auth)
      .send(body as object);

  /** A coupon of one copy, held by HOLDER, known sold out by this process. */
  async function soldOutCoupon(app: TestApp = t): Promise<number> {
    const { body } = await request(app.baseUrl)
      .post('/api/v1/coupons')
      .set(app.auth(1, { admin: true }))
      .send({
        name: 'Last one',
        discountType: 'FIXED',
        discountValue: 1_000,
        totalQuantity: 1,
        validDays: 30,
      })
      .expect(201);
    await request(app.baseUrl)
      .post(`/api/v1/users/${HOLDER}/coupons`)
      .set(app.auth(HOLDER))
      .send({ couponId: body.id })
      .expect(201);
    const coupons = app.app.get(CouponService);
    await waitFor(async () => coupons.knowsSoldOut(body.id), 5_000, 'the sold-out coupon known');
    return body.id;
  }

  let controller: jest.SpyInstance;
  beforeEach(() => {
    controller = jest.spyOn(IssuedCouponController.prototype, 'issue');
  });
  afterEach(() => controller.mockRestore());

  it('409 COUPON_SOLD_OUT with the standard body and headers, without reaching the controller', async () => {
    const couponId = await soldOutCoupon();
    controller.mockClear();

    const response = await issue(LATE, { couponId }, t.auth(LATE)).set(
      'Origin',
      'http://localhost:5173',
    );

    expect(response.status).toBe(409);
    expect(response.body).toEqual({
      statusCode: 409,
      code: 'COUPON_SOLD_OUT',
      message: expect.any(String),
      path: `/api/v1/users/${LATE}/coupons`,
      timestamp: expect.any(String),
    });
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.headers['x-request-id']).toBeTruthy();
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    expect(controller).not.toHaveBeenCalled();
  });

  it('the holder gets COUPON_ALREADY_ISSUED, an admin for another user COUPON_SOLD_OUT', async () => {
    const couponId = await soldOutCoupon();
    controller.mockClear();

    const holder = await issue(HOLDER, { couponId }, t.auth(HOLDER));
    expect({ status: holder.status, code: holder.body.code }).toEqual({
      status: 409,
      code: 'COUPON_ALREADY_ISSUED',
    });
    const admin = await issue(LATE, { couponId }, t.auth(1, { admin: true }));
    expect({ status: admin.status, code: admin.body.code }).toEqual({
      status: 409,
      code: 'COUPON_SOLD_OUT',
    });
    expect(controller).not.toHaveBeenCalled();
  });

  it('what the hook cannot vouch for is answered by Nest as before', async () => {
    const couponId = await soldOutCoupon();
    const answers = {
      noToken: await http().post(`/api/v1/users/${LATE}/coupons`).send({ couponId }),
      badToken: await issue(LATE, { couponId }, { Authorization: 'Bearer nope' }),
      otherUser: await issue(LATE, { couponId }, t.auth(LATE + 1)),
      extraField: await issue(LATE, { couponId, note: 'x' }, t.auth(LATE)),
      textId: await issue(LATE, { couponId: String(couponId) }, t.auth(LATE)),
      fraction: await issue(LATE, { couponId: couponId + 0.5 }, t.auth(LATE)),
      paddedUserId: await issue(`0${LATE}`, { couponId }, t.auth(LATE)),
    };
    const seen = Object.fromEntries(
      Object.entries(answers).map(([name, res]) => [name, `${res.status} ${res.body.code}`]),
    );
    expect(seen).toEqual({
      noToken: '401 UNAUTHORIZED',
      badToken: '401 UNAUTHORIZED',
      otherUser: '403 FORBIDDEN',
      extraField: '400 VALIDATION_FAILED',
      textId: '400 VALIDATION_FAILED',
      fraction: '400 VALIDATION_FAILED',
      paddedUserId: '400 VALIDATION_FAILED',
    });
  });

  it('spends the rate limit as the guard does, and the request over it gets the 429', async () => {
    // Nest reads the routes off the controller's methods: the spy would hide this one.
    controller.mockRestore();
    const limited = await startTestApp({ RATE_LIMIT_PER_MINUTE: '2' });
    try {
      const couponId = await soldOutCoupon(limited); // the admin's and the holder's budgets
      const answers = [];
      for (let i = 0; i < 3; i++) {
        answers.push(
          await request(limited.baseUrl)
            .post(`/api/v1/users/${LATE}/coupons`)
            .set(limited.auth(LATE))
            .send({ couponId }),
        );
      }
      expect(answers.map((res) => `${res.status} ${res.body.code}`)).toEqual([
        '409 COUPON_SOLD_OUT',
        '409 COUPON_SOLD_OUT',
        '429 TOO_MANY_REQUESTS',
      ]);
      expect(answers.slice(0, 2).map((res) => res.headers['x-ratelimit-remaining'])).toEqual([
        '1',
        '0',
      ]);
    } finally {
      await limited.close();
    }
  });
});
