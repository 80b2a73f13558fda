import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Ajv from 'ajv';
import request from 'supertest';
import { DEMO_BALANCES, DEMO_PRODUCTS } from '../../src/common/database/seed/demo-data';
import { ERROR_STATUS, ErrorCode } from '../../src/common/errors/error-code';
import { OpenApiResponseValidator, responseChecks } from '../support/openapi-validator';
import { useTestApp } from '../support/use-test-app';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const ROOT = join(__dirname, '..', '..');
const DOCUMENT_FILE = join(ROOT, 'docs', 'openapi.json');
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
const STALE = 'run `npm run openapi` and commit docs/openapi.json and test/client/schema.d.ts';

/** The contract's public routes; every other operation needs the bearer token. */
const PUBLIC = [
  'get /api/v1/products',
  'get /api/v1/products/{id}',
  'get /api/v1/products/popular',
  'get /api/v1/coupons/{couponId}',
  'get /health',
];

const AUTH: ErrorCode[] = ['VALIDATION_FAILED', 'UNAUTHORIZED', 'FORBIDDEN'];
const IDEMPOTENT: ErrorCode[] = ['IDEMPOTENCY_KEY_IN_PROGRESS', 'IDEMPOTENCY_KEY_REUSED'];

/** Per operation, the answers the contract gives it: the 2xx and the error codes. */
const CONTRACT: Record<string, [number, ErrorCode[]]> = {
  getHealth: [200, ['SERVICE_UNAVAILABLE']],
  listProducts: [200, ['VALIDATION_FAILED']],
  getProduct: [200, ['VALIDATION_FAILED', 'PRODUCT_NOT_FOUND']],
  listPopularProducts: [200, ['VALIDATION_FAILED']],
  createProduct: [201, AUTH],
  restockProduct: [200, [...AUTH, 'PRODUCT_NOT_FOUND']],
  getBalance: [200, AUTH],
  chargeBalance: [200, [...AUTH, 'BALANCE_LIMIT_EXCEEDED', ...IDEMPOTENT]],
  getBalanceHistory: [200, AUTH],
  createCoupon: [201, AUTH],
  getCoupon: [200, ['VALIDATION_FAILED', 'COUPON_NOT_FOUND']],
  issueCoupon: [
    201,
    [
      ...AUTH,
      'COUPON_NOT_FOUND',
      'COUPON_SOLD_OUT',
      'COUPON_ALREADY_ISSUED',
      'COUPON_NOT_ISSUABLE',
    ],
  ],
  listIssuedCoupons: [200, AUTH],
  placeOrder: [
    201,
    [
      ...AUTH,
      'PRODUCT_NOT_FOUND',
      'ISSUED_COUPON_NOT_FOUND',
      'OUT_OF_STOCK',
      'COUPON_NOT_USABLE',
      ...IDEMPOTENT,
    ],
  ],
  getOrder: [200, [...AUTH, 'ORDER_NOT_FOUND']],
  payOrder: [
    200,
    [...AUTH, 'ORDER_NOT_FOUND', 'ORDER_NOT_PAYABLE', 'INSUFFICIENT_BALANCE', ...IDEMPOTENT],
  ],
  cancelOrder: [200, [...AUTH, 'ORDER_NOT_FOUND', 'ORDER_NOT_CANCELLABLE', ...IDEMPOTENT]],
  listUserOrders: [200, AUTH],
  getCart: [200, AUTH],
  setCartItem: [200, [...AUTH, 'PRODUCT_NOT_FOUND']],
  removeCartItem: [200, AUTH],
  clearCart: [200, AUTH],
  checkoutCart: [
    201,
    [
      ...AUTH,
      'PRODUCT_NOT_FOUND',
      'ISSUED_COUPON_NOT_FOUND',
      'CART_EMPTY',
      'OUT_OF_STOCK',
      'COUPON_NOT_USABLE',
      ...IDEMPOTENT,
    ],
  ],
  getOutboxCounts: [200, ['UNAUTHORIZED', 'FORBIDDEN']],
  retryFailedOutboxEvents: [200, ['UNAUTHORIZED', 'FORBIDDEN']],
};

interface Operation {
  key: string;
  method: string;
  path: string;
  op: Json;
}

function operationsOf(doc: Json): Operation[] {
  return Object.entries<Json>(doc.paths).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method]).map((method) => ({
      key: `${method} ${path}`,
      method,
      path,
      op: item[method],
    })),
  );
}

/** The codes an error response documents (its `code` enum). */
function codesOf(response: Json): string[] {
  return response.content?.['application/json']?.schema?.allOf?.[1]?.properties?.code?.enum ?? [];
}

/** JSON pointers where `a` and `b` differ (the first few). */
function differences(a: unknown, b: unknown, at = '', found: string[] = []): string[] {
  if (found.length >= 10) return found;
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      differences((a as Json)[key], (b as Json)[key], `${at}/${key}`, found);
    }
  } else if (JSON.stringify(a) !== JSON.stringify(b)) {
    found.push(at || '/');
  }
  return found;
}

describe('OpenAPI document', () => {
  const t = useTestApp({ reset: 'never' });
  let doc: Json;
  let operations: Operation[];

  beforeAll(async () => {
    doc = (await request(t.baseUrl).get('/docs-json').expect(200)).body;
    operations = operationsOf(doc);
  });

  describe('is committed and linted', () => {
    it(`is the committed docs/openapi.json (when not: ${STALE})`, () => {
      const committed = JSON.parse(readFileSync(DOCUMENT_FILE, 'utf8'));
      const differ = differences(doc, committed);
      if (differ.length > 0) {
        throw new Error(`docs/openapi.json is stale (differs at ${differ.join(', ')}): ${STALE}`);
      }
    });

    it(`has its client types in test/client/schema.d.ts (when not: ${STALE})`, async () => {
      // openapi-typescript loads ES modules, which Jest's CommonJS runtime cannot: a child process.
      await promisify(execFile)(
        process.execPath,
        [join(ROOT, 'scripts', 'openapi.js'), '--check-client'],
        {
          cwd: ROOT,
        },
      ).catch((error: { stderr?: string; message: string }) => {
        throw new Error(error.stderr || error.message);
      });
    });

    it('passes `redocly lint` with the recommended rules (redocly.yaml): no error, no warning', async () => {
      const { stdout } = await promisify(execFile)(
        join(ROOT, 'node_modules', '.bin', 'redocly'),
        ['lint', DOCUMENT_FILE, '--format=json'],
        {
          cwd: ROOT,
          env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
          maxBuffer: 16 * 1024 * 1024,
        },
      ).catch((error: { stdout?: string; message: string }) => {
        if (error.stdout) return { stdout: error.stdout }; // lint problems exit with 1
        throw error;
      });
      const report = JSON.parse(stdout) as {
        totals: { errors: number; warnings: number };
        problems: Array<{ ruleId: string; message: string; location: Array<{ pointer: string }> }>;
      };
      const problems = report.problems.map(
        (p) => `${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`,
      );
      expect({ ...report.totals, problems }).toEqual(
        expect.objectContaining({ errors: 0, warnings: 0, problems: [] }),
      );
    });
  });

  describe('describes every operation for a client generator', () => {
    it('lists every operation of the contract', () => {
      expect(operations.map(({ op }) => op.operationId).sort()).toEqual(
        Object.keys(CONTRACT).sort(),
      );
    });

    it('gives each a unique camelCase operationId, a summary and exactly one declared tag', () => {
      const tags = doc.tags.map((tag: Json) => tag.name);
      const ids = new Set<string>();
      for (const { key, op } of operations) {
        const shape = {
          key,
          operationId: /^[a-z][A-Za-z0-9]+$/.test(op.operationId) && !ids.has(op.operationId),
          summary: typeof op.summary === 'string' && op.summary.length > 0,
          tags: op.tags?.length === 1 && tags.includes(op.tags[0]),
        };
        expect(shape).toEqual({ key, operationId: true, summary: true, tags: true });
        ids.add(op.operationId);
      }
      for (const tag of doc.tags) expect(tag.description).toEqual(expect.any(String));
    });

    it('asks for the bearer token on every operation but the public ones', () => {
      expect(doc.components.securitySchemes.bearer).toEqual(
        expect.objectContaining({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }),
      );
      for (const { key, op } of operations) {
        const expected = PUBLIC.includes(key) ? [] : [{ bearer: [] }];
        expect({ key, security: op.security }).toEqual({ key, security: expected });
        if (!PUBLIC.includes(key))
          expect({ key, has401: '401' in op.responses }).toEqual({ key, has401: true });
      }
      expect(doc.security).toBeUndefined();
      expect(doc.servers).toEqual([expect.objectContaining({ url: '/' })]);
    });

    it('documents each request body with a closed schema and examples', () => {
      for (const { key, op } of operations.filter(({ op }) => op.requestBody)) {
        const media = op.requestBody.content['application/json'];
        const schema = doc.components.schemas[media.schema.$ref.split('/').pop()];
        expect({ key, examples: Object.keys(media.examples ?? {}).length > 0 }).toEqual({
          key,
          examples: true,
        });
        expect({ key, additionalProperties: schema.additionalProperties }).toEqual({
          key,
          additionalProperties: false,
        });
      }
    });

    it('documents the paging parameters with their bounds, and path ids as positive integers', () => {
      const paged = operations.filter(({ op }) =>
        (op.parameters ?? []).some((p: Json) => p.name === 'size'),
      );
      expect(paged.map(({ op }) => op.operationId).sort()).toEqual(
        expect.arrayContaining(['getBalanceHistory', 'listProducts', 'listUserOrders']),
      );
      for (const { op } of paged) {
        const param = (name: string) => op.parameters.find((p: Json) => p.name === name);
        expect(param('page')).toMatchObject({
          in: 'query',
          required: false,
          schema: { type: 'integer', minimum: 1, default: 1 },
        });
        expect(param('size')).toMatchObject({
          in: 'query',
          required: false,
          schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
        });
      }
      const popular = doc.paths['/api/v1/products/popular'].get.parameters;
      expect(popular).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            name: 'days',
            schema: expect.objectContaining({ minimum: 1, maximum: 30, default: 3 }),
          }),
          expect.objectContaining({
            name: 'limit',
            schema: expect.objectContaining({ minimum: 1, maximum: 50, default: 5 }),
          }),
        ]),
      );
      for (const { op } of operations) {
        for (const param of (op.parameters ?? []).filter((p: Json) => p.in === 'path')) {
          expect(param.schema).toMatchObject({ type: 'integer', minimum: 1 });
        }
      }
    });

    it('gives every path parameter an example an importer can send (one in the demo data)', () => {
      const ajv = new Ajv({ strict: false });
      const pathParams = operations.flatMap(({ key, op }) =>
        (op.parameters ?? [])
          .filter((p: Json) => p.in === 'path')
          .map((p: Json) => ({ key, param: p })),
      );
      expect(pathParams.length).toBeGreaterThanOrEqual(15);
      for (const { key, param } of pathParams) {
        const { name, example } = param;
        expect({ key, name, example, valid: ajv.validate(param.schema, example) }).toEqual({
          key,
          name,
          example: expect.any(Number),
          valid: true,
        });
        if (['id', 'productId'].includes(param.name)) {
          expect(param.example).toBeLessThanOrEqual(DEMO_PRODUCTS.length);
        }
        if (param.name === 'userId') {
          expect(DEMO_BALANCES.map((b) => b.userId)).toContain(param.example);
        }
      }
    });

    it("documents every answer of the contract: the 2xx and each error status with the route's codes", () => {
      for (const { key, method, op } of operations) {
        const [success, codes] = CONTRACT[op.operationId];
        const statuses = Object.keys(op.responses).map(Number);
        expect({ key, successes: statuses.filter((s) => s < 300) }).toEqual({
          key,
          successes: [success],
        });
        expect(op.responses[success].content['application/json'].schema).toBeDefined();

        const standard: ErrorCode[] = [
          'TOO_MANY_REQUESTS',
          'INTERNAL_ERROR',
          'SERVICE_UNAVAILABLE',
        ];
        if (method !== 'get') standard.push('PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE');
        for (const code of [...codes, ...standard]) {
          const response = op.responses[ERROR_STATUS[code]];
          expect({
            key,
            code,
            documented: response ? codesOf(response).includes(code) : false,
          }).toEqual({
            key,
            code,
            documented: true,
          });
        }
        for (const status of statuses.filter((s) => s >= 400)) {
          const response = op.responses[status];
          expect(response.content['application/json'].schema.allOf[0]).toEqual({
            $ref: '#/components/schemas/ErrorResponse',
          });
          const listed = codesOf(response);
          expect({
            key,
            status,
            codes: listed.filter((c) => ERROR_STATUS[c as ErrorCode] !== status),
          }).toEqual({
            key,
            status,
            codes: [],
          });
          for (const code of listed) expect(response.description).toContain(code);
        }
      }
    });
  });

  describe('checks every e2e response against itself', () => {
    let validator: OpenApiResponseValidator;
    const product = JSON.stringify({ id: 1, name: 'Earbuds', price: 89000, stock: 3 });
    const check = (status: number, body: string, route: string | null = '/api/v1/products/:id') =>
      validator.check({
        method: 'GET',
        route: route ?? undefined,
        url: '/api/v1/products/1',
        status,
        contentType: 'application/json; charset=utf-8',
        body,
      });
    const error = (status: number, code: string) =>
      JSON.stringify({
        statusCode: status,
        code,
        message: 'x',
        path: '/api/v1/products/1',
        timestamp: '2026-11-25T12:00:00.000Z',
      });

    beforeAll(() => {
      validator = new OpenApiResponseValidator(doc);
    });

    it('accepts documented answers', () => {
      expect(check(200, product)).toBeNull();
      expect(check(404, error(404, 'PRODUCT_NOT_FOUND'))).toBeNull();
      expect(check(404, error(404, 'NOT_FOUND'), null)).toBeNull();
    });

    it('rejects an undocumented status, a wrong body, an undocumented field and a code the route does not give', () => {
      expect(check(418, product)?.problem).toMatch(/status 418 is not documented for getProduct/);
      expect(check(200, JSON.stringify({ id: 1, name: 'x', price: 1 }))?.problem).toMatch(/stock/);
      expect(
        check(200, JSON.stringify({ id: 1.5, name: 'x', price: 1, stock: 1 }))?.problem,
      ).toMatch(/integer/);
      expect(check(200, JSON.stringify({ ...JSON.parse(product), color: 'red' }))?.problem).toMatch(
        /color/,
      );
      expect(check(404, error(404, 'ORDER_NOT_FOUND'))?.problem).toMatch(/code/);
      expect(check(404, JSON.stringify({ error: 'nope' }), null)?.problem).toMatch(
        /does not match/,
      );
      expect(check(200, product, '/api/v1/nowhere')?.problem).toMatch(/not in the document/);
    });

    describe('reads a nullable reference the way strict tools do', () => {
      const unpaidOrder = {
        id: 1,
        userId: 1,
        status: 'PENDING_PAYMENT',
        items: [{ productId: 1, name: 'Earbuds', unitPrice: 100, quantity: 1, amount: 100 }],
        totalAmount: 100,
        discountAmount: 0,
        payAmount: 100,
        issuedCouponId: null,
        createdAt: '2026-11-25T12:00:00.000Z',
        expiresAt: '2026-11-25T12:10:00.000Z',
        paidAt: null,
        closedAt: null,
        payment: null,
      };
      const checkOrder = (against: OpenApiResponseValidator, order: unknown) =>
        against.check({
          method: 'GET',
          route: '/api/v1/orders/:orderId',
          url: '/api/v1/orders/1',
          status: 200,
          contentType: 'application/json; charset=utf-8',
          body: JSON.stringify(order),
        });
      /** The document with OrderResponse.payment written another way. */
      const withPayment = (payment: Json, openapi = doc.openapi as string): Json => {
        const copy = JSON.parse(JSON.stringify(doc)) as Json;
        copy.openapi = openapi;
        copy.components.schemas.OrderResponse.properties.payment = payment;
        return copy;
      };
      const ref = { $ref: '#/components/schemas/PaymentResponse' };

      it('the document says "a PaymentResponse or null" in OpenAPI 3.1 terms', () => {
        expect(doc.openapi).toBe('3.1.0');
        expect(doc.components.schemas.OrderResponse.properties.payment).toEqual(
          expect.objectContaining({ oneOf: [ref, { type: 'null' }] }),
        );
        expect(checkOrder(validator, unpaidOrder)).toBeNull();
        expect(checkOrder(validator, { ...unpaidOrder, payment: 'none' })?.problem).toMatch(
          /payment/,
        );
      });

      it('refuses the old `nullable` + `allOf` construct outright, in 3.1 and in 3.0', () => {
        const loose = { nullable: true, type: 'object', allOf: [ref] };
        expect(() => new OpenApiResponseValidator(withPayment(loose))).toThrow(
          /unknown keyword: "nullable"/,
        );
        expect(() => new OpenApiResponseValidator(withPayment(loose, '3.0.0'))).toThrow(
          /expected an OpenAPI 3.1 document, got 3.0.0/,
        );
      });

      it('and without the `null` branch, a null payment is a violation (what Prism reported)', () => {
        const strictReading = new OpenApiResponseValidator(
          withPayment({ type: 'object', allOf: [ref] }),
        );
        expect(checkOrder(strictReading, unpaidOrder)?.problem).toMatch(/\/payment must be object/);
      });
    });

    it('takes a CORS preflight (the OPTIONS route of @fastify/cors) only as an empty 204', () => {
      const preflight = (status: number, body: string) =>
        validator.check({
          method: 'OPTIONS',
          route: '*',
          url: '/api/v1/products',
          status,
          contentType: undefined,
          body,
        });
      expect(preflight(204, '')).toBeNull();
      expect(preflight(200, product)?.problem).toMatch(/preflight/);
      expect(preflight(204, product)?.problem).toMatch(/preflight/);
    });

    it('counts the responses the running app sends', async () => {
      const before = responseChecks()!.checked;
      await request(t.baseUrl).get('/api/v1/products').expect(200);
      await request(t.baseUrl).get('/api/v1/no-such-route').expect(404);
      expect(responseChecks()!.checked).toBe(before + 2);
    });
  });
});
