import fc from 'fast-check';
import { connect } from 'node:net';
import request, { Response } from 'supertest';
import { BODY_LIMIT_BYTES } from '../../src/app.setup';
import {
  COUPON_NAME_MAX_LENGTH,
  COUPON_QUANTITY_MAX,
  COUPON_VALID_DAYS_MAX,
  FIXED_DISCOUNT_MAX,
} from '../../src/modules/coupon/domain/coupon';
import { MAX_LINE_QUANTITY, MAX_ORDER_LINES } from '../../src/modules/order/domain/order-line';
import {
  PRODUCT_NAME_MAX_LENGTH,
  PRODUCT_PRICE_MAX,
  PRODUCT_STOCK_MAX,
} from '../../src/modules/product/domain/product';
import { expectErrorBody } from '../support/error-assertions';
import { insertProduct, issueCouponDirectly, setBalance } from '../support/fixtures';
import { useTestApp } from '../support/use-test-app';

/**
 * Property-based: malformed bodies, paths, queries and headers on every route. Whatever is
 * generated, the answer is the contract's 4xx in the standard error body (never a 5xx, nothing
 * of the server's internals), and no row anywhere changes. The fixtures are chosen so that a
 * request that slipped through would change something: a payable order, a cart line, a
 * balance, stock, an issuable coupon.
 */
const RUNS = Number(process.env.HOSTILE_RUNS ?? 40);
// CI pins the seed (.ci/run) so a run is reproducible; locally every run explores new inputs,
// and a failure prints the seed to replay it with HOSTILE_SEED.
if (process.env.HOSTILE_SEED) fc.configureGlobal({ seed: Number(process.env.HOSTILE_SEED) });
const SAFE = Number.MAX_SAFE_INTEGER;
const CHARGE_MAX = 10_000_000;

// ---------------------------------------------------------------------------------------------
// Generators of values that are wrong for a field, whatever the draw.

const controlChar = fc.oneof(
  fc.integer({ min: 0, max: 0x1f }).map((code) => String.fromCharCode(code)),
  fc.constantFrom('\u007f', '\u0085', '\u009f'),
);
const loneSurrogate = fc
  .integer({ min: 0xd800, max: 0xdfff })
  .map((code) => String.fromCharCode(code));
const around = (inner: fc.Arbitrary<string>) =>
  fc
    .tuple(fc.string({ maxLength: 8 }), inner, fc.string({ maxLength: 8 }))
    .map((parts) => parts.join(''));

/** Anything JSON can carry that is not a number. */
const notANumber: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.integer().map(String), // numbers as strings are not coerced
  fc.constantFrom('1', '1e3', '0x10', ' 5', 'NaN', 'Infinity', '9007199254740993'),
  fc.boolean(),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 2 }),
);

/** A number that is not an integer in [min, max]: fractions, out of range, 2^53, 2^63, 1e20. */
const numberOutside = (min: number, max: number): fc.Arbitrary<unknown> =>
  fc
    .oneof(
      fc.double({ min: -1e6, max: 1e6, noNaN: true }).filter((d) => !Number.isInteger(d)),
      fc.constantFrom(
        min - 1,
        max + 1,
        1e20,
        2 ** 53,
        2 ** 63,
        2 ** 64,
        -(2 ** 63),
        1e308,
        -0.5,
        0.1,
      ),
      ...(min > -1e9 ? [fc.integer({ min: -1e9, max: min - 1 })] : []),
      ...(max < 1e15 ? [fc.double({ min: max + 1, max: 1e300, noNaN: true }).map(Math.ceil)] : []),
    )
    .filter((n) => !(typeof n === 'number' && Number.isInteger(n) && n >= min && n <= max));

const badInt = (min: number, max: number, nullable = false): fc.Arbitrary<unknown> =>
  fc.oneof(notANumber, numberOutside(min, max), ...(nullable ? [] : [fc.constant(null)]));

const badString = (maxLength: number): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.constant(''),
    around(controlChar),
    around(loneSurrogate),
    fc.integer({ min: maxLength + 1, max: maxLength + 300 }).map((n) => 'x'.repeat(n)),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.string({ maxLength: 3 }), { maxLength: 2 }),
    fc.constant({}),
  );

const badEnum = (allowed: readonly string[]): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.string({ maxLength: 10 }).filter((s) => !allowed.includes(s)),
    fc.constantFrom(...allowed.map((a) => a.toLowerCase()), ...allowed.map((a) => ` ${a}`)),
    fc.integer(),
    fc.constant(null),
    fc.constant([allowed[0]]),
  );

const badDate: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    'yesterday',
    '2026-13-01T00:00:00Z',
    '2026-02-30T00:00:00Z',
    '2026-12-01T00:00:00', // no zone
    '2026-12-01 00:00:00Z',
    '1e10',
    '',
    '2026-12-01T25:00:00Z',
  ),
  fc.integer(),
  fc.boolean(),
  fc.constant({}),
);

/** Keys that are not fields: random ones, and the names of Object.prototype's members. */
const unknownKey = fc.oneof(
  fc.string({ minLength: 1, maxLength: 10 }).map((s) => `x_${s}`),
  fc.constantFrom(
    'constructor',
    'hasOwnProperty',
    'isPrototypeOf',
    'toString',
    'valueOf',
    '__defineGetter__',
    '__lookupSetter__',
    'propertyIsEnumerable',
    'prototype',
    'id',
    'status',
    'balance',
  ),
);

// ---------------------------------------------------------------------------------------------

interface Fixtures {
  productId: number;
  orderId: number;
  couponId: number;
  issuedCouponId: number;
}

interface FieldSpec {
  name: string;
  bad: fc.Arbitrary<unknown>;
  required: boolean;
}

interface BodyRoute {
  name: string;
  method: 'post' | 'put';
  path: (f: Fixtures) => string;
  admin?: boolean;
  valid: (f: Fixtures) => Record<string, unknown>;
  fields: FieldSpec[];
  /** An empty body (or `{}`/`null`) is a valid request here. */
  bodyOptional?: boolean;
}

const USER = 1;

const BODY_ROUTES: BodyRoute[] = [
  {
    name: 'charge',
    method: 'post',
    path: () => `/api/v1/users/${USER}/balance/charge`,
    valid: () => ({ amount: 1_000 }),
    fields: [{ name: 'amount', bad: badInt(1, CHARGE_MAX), required: true }],
  },
  {
    name: 'place order',
    method: 'post',
    path: () => '/api/v1/orders',
    valid: (f) => ({
      userId: USER,
      items: [{ productId: f.productId, quantity: 1 }],
      issuedCouponId: f.issuedCouponId,
    }),
    fields: [
      { name: 'userId', bad: badInt(1, SAFE), required: true },
      {
        name: 'items',
        bad: fc.oneof(
          notANumber.filter((v) => !Array.isArray(v)),
          fc.constant(null),
          fc.constant([]),
          fc.constant(
            Array.from({ length: MAX_ORDER_LINES + 1 }, (_, i) => ({
              productId: i + 1,
              quantity: 1,
            })),
          ),
          fc.constant([
            { productId: 1, quantity: 1 },
            { productId: 1, quantity: 2 },
          ]),
          fc.constant([[{ productId: 1, quantity: 1 }]]),
          fc.constant([null]),
          fc.constant([1, 2]),
          badInt(1, SAFE).map((productId) => [{ productId, quantity: 1 }]),
          badInt(1, MAX_LINE_QUANTITY).map((quantity) => [{ productId: 1, quantity }]),
          fc.constant([{ productId: 1 }]),
          unknownKey.map((key) => [{ productId: 1, quantity: 1, [key]: 1 }]),
        ),
        required: true,
      },
      { name: 'issuedCouponId', bad: badInt(1, SAFE, true), required: false },
    ],
  },
  {
    name: 'create product',
    method: 'post',
    path: () => '/api/v1/products',
    admin: true,
    valid: () => ({ name: 'Hostile', price: 100, stock: 1 }),
    fields: [
      { name: 'name', bad: badString(PRODUCT_NAME_MAX_LENGTH), required: true },
      { name: 'price', bad: badInt(0, PRODUCT_PRICE_MAX), required: true },
      { name: 'stock', bad: badInt(0, PRODUCT_STOCK_MAX), required: true },
    ],
  },
  {
    name: 'restock',
    method: 'post',
    path: (f) => `/api/v1/products/${f.productId}/stock`,
    admin: true,
    valid: () => ({ quantity: 1 }),
    fields: [{ name: 'quantity', bad: badInt(1, PRODUCT_STOCK_MAX), required: true }],
  },
  {
    name: 'create coupon',
    method: 'post',
    path: () => '/api/v1/coupons',
    admin: true,
    valid: () => ({
      name: 'Hostile',
      discountType: 'FIXED',
      discountValue: 100,
      totalQuantity: 10,
      validDays: 7,
    }),
    fields: [
      { name: 'name', bad: badString(COUPON_NAME_MAX_LENGTH), required: true },
      { name: 'discountType', bad: badEnum(['FIXED', 'RATE']), required: true },
      { name: 'discountValue', bad: badInt(1, FIXED_DISCOUNT_MAX), required: true },
      { name: 'maxDiscountAmount', bad: badInt(1, 1_000_000_000, true), required: false },
      { name: 'minOrderAmount', bad: badInt(0, 1_000_000_000, true), required: false },
      { name: 'totalQuantity', bad: badInt(1, COUPON_QUANTITY_MAX), required: true },
      { name: 'issueStartsAt', bad: badDate, required: false },
      { name: 'issueEndsAt', bad: badDate, required: false },
      { name: 'validDays', bad: badInt(1, COUPON_VALID_DAYS_MAX), required: true },
    ],
  },
  {
    name: 'issue coupon',
    method: 'post',
    path: () => `/api/v1/users/${USER}/coupons`,
    valid: (f) => ({ couponId: f.couponId }),
    fields: [{ name: 'couponId', bad: badInt(1, SAFE), required: true }],
  },
  {
    name: 'set cart item',
    method: 'put',
    path: (f) => `/api/v1/users/${USER}/cart/items/${f.productId}`,
    valid: () => ({ quantity: 2 }),
    fields: [{ name: 'quantity', bad: badInt(1, MAX_LINE_QUANTITY), required: true }],
  },
  {
    name: 'checkout',
    method: 'post',
    path: () => `/api/v1/users/${USER}/cart/checkout`,
    valid: (f) => ({ productIds: [f.productId], issuedCouponId: f.issuedCouponId }),
    fields: [
      {
        name: 'productIds',
        bad: fc.oneof(
          notANumber.filter((v) => !Array.isArray(v)),
          fc.constant(null),
          fc.constant([]),
          fc.constant([1, 1]),
          badInt(1, SAFE).map((id) => [id]),
          fc.constant(Array.from({ length: MAX_ORDER_LINES + 1 }, (_, i) => i + 1)),
        ),
        required: false,
      },
      { name: 'issuedCouponId', bad: badInt(1, SAFE, true), required: false },
    ],
    bodyOptional: true,
  },
];

/** One defect in an otherwise valid body. */
function hostileBody(route: BodyRoute, f: Fixtures): fc.Arbitrary<unknown> {
  const valid = route.valid(f);
  const oneBadField = fc
    .constantFrom(...route.fields)
    .chain((field) => field.bad.map((value) => ({ ...valid, [field.name]: value })));
  const required = route.fields.filter((field) => field.required);
  const missingField = required.length
    ? fc.constantFrom(...required).map((field) => {
        const copy: Record<string, unknown> = { ...valid };
        delete copy[field.name];
        return copy;
      })
    : fc.constant(undefined);
  const extraField = fc
    .tuple(unknownKey, fc.jsonValue({ maxDepth: 2 }))
    .map(([key, value]) => ({ ...valid, [key]: value }));
  const notAnObject = fc.oneof(
    fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
    fc.string({ maxLength: 10 }),
    fc.integer(),
    fc.boolean(),
    fc.constant([valid]),
  );
  return fc.oneof(
    { arbitrary: oneBadField, weight: 4 },
    ...(required.length ? [{ arbitrary: missingField, weight: 1 }] : []),
    { arbitrary: extraField, weight: 2 },
    { arbitrary: notAnObject, weight: 1 },
  );
}

/** A path segment that is not a positive integer no larger than 2^53 - 1. */
const badId: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '0',
    '-1',
    '1.5',
    '1e3',
    '0x10',
    '+1',
    '01',
    ' 1',
    '1 ',
    'abc',
    'null',
    'undefined',
    '9007199254740992',
    '9223372036854775808',
    '18446744073709551616',
    '99999999999999999999',
    '١',
    '%00',
    '%ZZ',
    '%2e%2e',
    '1%00',
    '[1]',
    '{}',
  ),
  fc
    .string({ minLength: 1, maxLength: 30 })
    // "." and ".." are resolved away by the client (they would name another route, not an id).
    .filter((s) => s !== '.' && s !== '..')
    .filter((s) => !/^[1-9][0-9]{0,15}$/.test(s) || Number(s) > SAFE),
);

function encodeSegment(segment: string): string {
  // Keep the deliberately broken escapes as they are; encode everything else.
  return /%(?:[0-9A-F]{2}|ZZ)/i.test(segment) ? segment : encodeURIComponent(segment);
}

describe('hostile and malformed input (property-based, every route)', () => {
  const t = useTestApp({ backgroundJobs: false, reset: 'never' });
  let f: Fixtures;
  const user = () => t.auth(USER);
  const admin = () => t.auth(99, { admin: true });

  /** Every table's row count and the sums that money and stock live in, in one round trip. */
  async function stateOf(): Promise<Record<string, number>> {
    const [row] = await t.dataSource.query(`
      SELECT
        (SELECT COUNT(*) FROM products) AS products,
        (SELECT COALESCE(SUM(stock), 0) FROM products) AS stock,
        (SELECT COUNT(*) FROM balances) AS balances,
        (SELECT COALESCE(SUM(amount), 0) FROM balances) AS balance,
        (SELECT COUNT(*) FROM balance_history) AS ledger,
        (SELECT COUNT(*) FROM orders) AS orders,
        (SELECT COUNT(*) FROM orders WHERE status = 'PENDING_PAYMENT') AS pending,
        (SELECT COUNT(*) FROM order_items) AS orderItems,
        (SELECT COUNT(*) FROM payments) AS payments,
        (SELECT COUNT(*) FROM coupons) AS coupons,
        (SELECT COALESCE(SUM(issued_quantity), 0) FROM coupons) AS issued,
        (SELECT COUNT(*) FROM issued_coupons) AS issuedCoupons,
        (SELECT COUNT(*) FROM issued_coupons WHERE status = 'AVAILABLE') AS available,
        (SELECT COUNT(*) FROM cart_items) AS cartLines,
        (SELECT COALESCE(SUM(quantity), 0) FROM cart_items) AS cartUnits,
        (SELECT COUNT(*) FROM outbox_events) AS outbox,
        (SELECT COUNT(*) FROM idempotency_keys) AS idempotencyKeys
    `);
    return Object.fromEntries(Object.entries(row).map(([key, value]) => [key, Number(value)]));
  }

  let before: Record<string, number>;

  /** The fixtures: a product in stock and in the cart, a balance, a payable order, coupons. */
  async function seed(): Promise<void> {
    await t.reset();
    const productId = await insertProduct(t.dataSource, 1_000, 100);
    await setBalance(t.dataSource, USER, 1_000_000);
    const issuedCouponId = await issueCouponDirectly(t.dataSource, USER);
    // A second coupon the user does not hold yet: issuing it would change state.
    const openCoupon = await t.dataSource.query(
      `INSERT INTO coupons (name, discount_type, discount_value, max_discount_amount, min_order_amount,
         total_quantity, issued_quantity, valid_days, created_at)
       VALUES ('Open coupon', 'FIXED', 100, NULL, 0, 100, 0, 7, NOW(3))`,
    );
    const order = await request(t.baseUrl)
      .post('/api/v1/orders')
      .set(user())
      .send({ userId: USER, items: [{ productId, quantity: 1 }] })
      .expect(201);
    await request(t.baseUrl)
      .put(`/api/v1/users/${USER}/cart/items/${productId}`)
      .set(user())
      .send({ quantity: 1 })
      .expect(200);
    f = {
      productId,
      orderId: order.body.id,
      couponId: Number(openCoupon.insertId),
      issuedCouponId,
    };
    before = await stateOf();
  }

  beforeAll(seed);

  afterEach(async () => {
    // Nothing changed, whatever was sent. (After a failure, start the next test from clean fixtures.)
    const after = await stateOf();
    const expected = before;
    if (JSON.stringify(after) !== JSON.stringify(expected)) await seed();
    expect(after).toEqual(expected);
  });

  /** The contract's 4xx in the standard body, never a 5xx, nothing of the internals. */
  function expectRejected(res: Response, allowed: Array<[number, string]>): void {
    if (res.status >= 500) throw new Error(`5xx for hostile input: ${res.status} ${res.text}`);
    const match = allowed.find(
      ([status, code]) => res.status === status && res.body?.code === code,
    );
    if (!match)
      throw new Error(`expected one of ${JSON.stringify(allowed)}, got ${res.status} ${res.text}`);
    expectErrorBody(res, match[0], match[1]);
  }

  const VALIDATION: Array<[number, string]> = [[400, 'VALIDATION_FAILED']];

  describe.each(BODY_ROUTES.map((route) => [route.name, route] as const))('%s', (_name, route) => {
    const send = (body: unknown, headers: Record<string, string> = {}) => {
      const req = request(t.baseUrl)
        [route.method](route.path(f))
        .set(route.admin ? admin() : user())
        .set(headers);
      return body === undefined
        ? req
        : req.set('content-type', 'application/json').send(JSON.stringify(body));
    };

    it('rejects a body with one wrong, missing or extra field, or no object at all (400, details name it)', async () => {
      await fc.assert(
        fc.asyncProperty(
          hostileBody(route, f),
          fc.option(fc.uuid(), { nil: undefined }),
          async (body, key) => {
            if (route.bodyOptional && (body === undefined || body === null)) return;
            const res = await send(body, key ? { 'Idempotency-Key': key } : {});
            expectRejected(res, VALIDATION);
            expect(res.body.details.length).toBeGreaterThan(0);
          },
        ),
        { numRuns: RUNS },
      );
    });

    if (!route.bodyOptional) {
      it('rejects raw bodies that are not one JSON document of the right shape (400; 413 over the limit)', async () => {
        const twoDocuments = fc
          .tuple(
            fc.json({ maxDepth: 2 }),
            fc.constantFrom('', ' ', '\n', ','),
            fc.json({ maxDepth: 2 }),
          )
          .map(([a, sep, b]) => `${a}${sep}${b}`)
          .filter((raw) => {
            try {
              JSON.parse(raw);
              return false;
            } catch {
              return true;
            }
          });
        const deep = fc
          .integer({ min: 17, max: 5_000 })
          .map((depth) => '['.repeat(depth) + ']'.repeat(depth));
        const raw = fc.oneof(
          fc.string({ maxLength: 60 }),
          fc.string({ unit: 'binary', maxLength: 60 }),
          twoDocuments,
          deep,
          fc.json({ maxDepth: 3 }),
          fc.constantFrom(
            '{',
            '{"amount":',
            '{"a":1,}',
            "{'a':1}",
            'NaN',
            '\u0000',
            '\ufeff{}',
            '{"__proto__":{"x":1}}',
          ),
        );
        await fc.assert(
          fc.asyncProperty(raw, async (body) => {
            const res = await request(t.baseUrl)
              [route.method](route.path(f))
              .set(route.admin ? admin() : user())
              .set('content-type', 'application/json')
              .send(body);
            expectRejected(res, [...VALIDATION, [413, 'PAYLOAD_TOO_LARGE']]);
          }),
          { numRuns: RUNS },
        );
      });
    }

    it('answers 413 for a body over 64 KiB and 415 for a content type other than JSON', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: BODY_LIMIT_BYTES + 1, max: BODY_LIMIT_BYTES * 3 }),
          fc.constantFrom(
            'text/plain',
            'application/x-www-form-urlencoded',
            'multipart/form-data; boundary=x',
            'application/xml',
            'text/json',
            'application/octet-stream',
          ),
          async (size, contentType) => {
            const big = JSON.stringify({ ...route.valid(f), pad: 'x'.repeat(size) });
            const tooLarge = await request(t.baseUrl)
              [route.method](route.path(f))
              .set(route.admin ? admin() : user())
              .set('content-type', 'application/json')
              .send(big);
            expectRejected(tooLarge, [[413, 'PAYLOAD_TOO_LARGE']]);
            const wrongType = await request(t.baseUrl)
              [route.method](route.path(f))
              .set(route.admin ? admin() : user())
              .set('content-type', contentType)
              .send(JSON.stringify(route.valid(f)));
            expectRejected(wrongType, [[415, 'UNSUPPORTED_MEDIA_TYPE']]);
          },
        ),
        { numRuns: Math.ceil(RUNS / 4) },
      );
    });
  });

  describe('routes that take no body', () => {
    const routes: Array<[string, (f: Fixtures) => string]> = [
      ['post', (x) => `/api/v1/orders/${x.orderId}/payment`],
      ['post', (x) => `/api/v1/orders/${x.orderId}/cancel`],
      ['delete', (x) => `/api/v1/users/${USER}/cart/items/${x.productId}`],
      ['delete', () => `/api/v1/users/${USER}/cart`],
    ];

    it('reject a non-empty body instead of ignoring it and acting (400)', async () => {
      const body = fc.oneof(
        fc.dictionary(
          fc.oneof(fc.string({ minLength: 1, maxLength: 8 }), unknownKey),
          fc.jsonValue({ maxDepth: 2 }),
          {
            minKeys: 1,
            maxKeys: 3,
          },
        ),
        fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
        fc.string({ maxLength: 10 }),
        fc.integer(),
        fc.boolean(),
      );
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...routes),
          body,
          fc.option(fc.uuid(), { nil: undefined }),
          async ([method, path], value, key) => {
            const req = request(t.baseUrl)[method as 'post'](path(f)).set(user());
            if (key) void req.set('Idempotency-Key', key);
            const res = await req
              .set('content-type', 'application/json')
              .send(JSON.stringify(value));
            expectRejected(res, VALIDATION);
          },
        ),
        { numRuns: RUNS },
      );
    });
  });

  describe('path ids', () => {
    const routes: Array<[string, (id: string) => string, boolean?]> = [
      ['get', (id) => `/api/v1/products/${id}`],
      ['post', (id) => `/api/v1/products/${id}/stock`, true],
      ['get', (id) => `/api/v1/coupons/${id}`],
      ['get', (id) => `/api/v1/users/${id}/balance`],
      ['post', (id) => `/api/v1/users/${id}/balance/charge`],
      ['get', (id) => `/api/v1/users/${id}/balance/history`],
      ['post', (id) => `/api/v1/users/${id}/coupons`],
      ['get', (id) => `/api/v1/users/${id}/coupons`],
      ['get', (id) => `/api/v1/orders/${id}`],
      ['post', (id) => `/api/v1/orders/${id}/payment`],
      ['post', (id) => `/api/v1/orders/${id}/cancel`],
      ['get', (id) => `/api/v1/users/${id}/orders`],
      ['get', (id) => `/api/v1/users/${id}/cart`],
      ['put', (id) => `/api/v1/users/${USER}/cart/items/${id}`],
      ['put', (id) => `/api/v1/users/${id}/cart/items/1`],
      ['delete', (id) => `/api/v1/users/${USER}/cart/items/${id}`],
      ['delete', (id) => `/api/v1/users/${id}/cart`],
      ['post', (id) => `/api/v1/users/${id}/cart/checkout`],
    ];
    const bodies: Record<string, unknown> = {
      stock: { quantity: 1 },
      charge: { amount: 1 },
      coupons: { couponId: 1 },
      items: { quantity: 1 },
    };

    it('answer 400 (404 where the segment no longer matches a route) for ids that are not positive safe integers', async () => {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...routes), badId, async ([method, path, asAdmin], id) => {
          const url = path(encodeSegment(id));
          const key = Object.keys(bodies).find(
            (k) => url.includes(`/${k}`) && method !== 'get' && method !== 'delete',
          );
          const req = request(t.baseUrl)
            [method as 'post'](url)
            .set(asAdmin ? admin() : user());
          const res = key ? await req.send(bodies[key] as object) : await req;
          expectRejected(res, [...VALIDATION, [404, 'NOT_FOUND']]);
        }),
        { numRuns: RUNS * 2 },
      );
    });
  });

  describe('query strings', () => {
    const badQueryValue = fc.oneof(
      fc.constantFrom(
        '0',
        '-1',
        '1.5',
        '1e3',
        '0x10',
        '',
        ' ',
        'abc',
        '١',
        '9007199254740993',
        '99999999999999999999',
        '%00',
        '1,2',
      ),
      fc.string({ maxLength: 12 }).filter((s) => !/^[0-9]{1,2}$/.test(s)),
    );
    // Routes that take no query parameters ignore them (a cache-busting `?_=123` is harmless).
    const routes: Array<[string, string[], boolean?]> = [
      ['/api/v1/products', ['page', 'size']],
      ['/api/v1/products/popular', ['days', 'limit']],
      [`/api/v1/users/${USER}/balance/history`, ['page', 'size']],
      [`/api/v1/users/${USER}/orders`, ['page', 'size']],
      [`/api/v1/users/${USER}/coupons`, ['status']],
    ];

    it('answer 400 for bad paging and filter values, repeated keys and unknown keys', async () => {
      const query = fc.constantFrom(...routes).chain(([path, keys, asAdmin]) =>
        fc
          .oneof(
            ...(keys.length
              ? [
                  fc
                    .tuple(fc.constantFrom(...keys), badQueryValue)
                    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`),
                  fc.constantFrom(...keys).map((k) => `${k}=1&${k}=2`),
                  fc.constantFrom(...keys).map((k) => `${k}[]=1`),
                  fc.constantFrom(...keys).map((k) => `${k}[a]=1`),
                ]
              : []),
            fc
              .tuple(unknownKey, fc.string({ maxLength: 5 }))
              .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`),
            fc.constantFrom('__proto__=1', '__proto__[x]=1', 'constructor=1', 'hasOwnProperty=1'),
          )
          .map((qs) => [`${path}?${qs}`, asAdmin] as const),
      );
      await fc.assert(
        fc.asyncProperty(query, async ([url, asAdmin]) => {
          const res = await request(t.baseUrl)
            .get(url)
            .set(asAdmin ? admin() : user());
          expectRejected(res, VALIDATION);
        }),
        { numRuns: RUNS * 2 },
      );
    });
  });

  describe('headers', () => {
    it('an Idempotency-Key that is empty, too long or not printable ASCII is a 400; a bad token a 401', async () => {
      const badKey = fc.oneof(
        fc.constant(''),
        fc.integer({ min: 101, max: 2_000 }).map((n) => 'k'.repeat(n)),
        // Latin-1 letters are valid in an HTTP header but not in a key.
        fc
          .tuple(fc.string({ maxLength: 10 }), fc.integer({ min: 0xa0, max: 0xff }))
          .map(([s, code]) => s.replace(/[^\x21-\x7e]/g, '') + String.fromCharCode(code)),
      );
      await fc.assert(
        fc.asyncProperty(badKey, async (key) => {
          const res = await request(t.baseUrl)
            .post(`/api/v1/users/${USER}/balance/charge`)
            .set(user())
            .set('Idempotency-Key', key)
            .send({ amount: 1 });
          expectRejected(res, VALIDATION);
        }),
        { numRuns: RUNS },
      );
      const badToken = fc.oneof(
        fc.string({ maxLength: 40 }).map((s) => `Bearer ${s}`),
        fc.constantFrom(
          'Bearer',
          'Basic dXNlcjpwYXNz',
          'bearer  ',
          `Bearer ${'a'.repeat(5_000)}`,
          'Bearer a.b.c',
        ),
        fc.string({ maxLength: 20 }),
      );
      await fc.assert(
        fc.asyncProperty(badToken, async (authorization) => {
          const res = await request(t.baseUrl)
            .post(`/api/v1/users/${USER}/balance/charge`)
            .set('Authorization', authorization.replace(/[^\x20-\x7e]/g, ''))
            .send({ amount: 1 });
          expectRejected(res, [[401, 'UNAUTHORIZED']]);
        }),
        { numRuns: RUNS },
      );
    });

    it('a request whose headers or URL exceed what the server reads gets the standard error body too', async () => {
      const cases: Array<[string, number, string]> = [
        [
          `GET /api/v1/products?page=${'1'.repeat(100_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
          431,
          'HEADERS_TOO_LARGE',
        ],
        [
          `POST /api/v1/users/1/balance/charge HTTP/1.1\r\nHost: x\r\nIdempotency-Key: ${'k'.repeat(100_000)}\r\n\r\n`,
          431,
          'HEADERS_TOO_LARGE',
        ],
        [
          `GET /api/v1/products HTTP/1.1\r\nHost: x\r\nX-Junk: a\u0001b\r\n\r\n`,
          400,
          'VALIDATION_FAILED',
        ],
        ['NONSENSE\r\n\r\n', 400, 'VALIDATION_FAILED'],
      ];
      for (const [raw, status, code] of cases) {
        const answer = await rawExchange(t.baseUrl, raw);
        expect({ status: answer.status, body: JSON.parse(answer.body) }).toEqual({
          status,
          body: {
            statusCode: status,
            code,
            message: expect.any(String),
            path: '',
            timestamp: expect.any(String),
          },
        });
      }
    });
  });
});

/** Sends raw bytes on a fresh connection and returns the status and body of the answer. */
function rawExchange(baseUrl: string, raw: string): Promise<{ status: number; body: string }> {
  const { port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1');
    let data = '';
    socket.on('data', (chunk) => (data += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      const match = /^HTTP\/1\.1 (\d{3})/.exec(data);
      if (!match) return reject(new Error(`no HTTP answer: ${JSON.stringify(data.slice(0, 200))}`));
      resolve({ status: Number(match[1]), body: data.slice(data.indexOf('\r\n\r\n') + 4) });
    });
    socket.write(raw, 'latin1');
    socket.end();
  });
}
