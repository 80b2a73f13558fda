import Ajv2020, { ErrorObject, ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { INestApplication } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { buildOpenApiDocument } from '../../src/common/http/swagger';

/**
 * "The document is true": every response an e2e test receives is checked against the OpenAPI
 * document of the app that sent it. The status must be documented for the operation, and the
 * body must match that response's schema, read strictly: a property the schema does not list is
 * an error too (the document must describe every field). Requests that match no route must get
 * the standard error body.
 *
 * The document must be OpenAPI 3.1, whose schemas are JSON Schema 2020-12: they are validated by
 * Ajv's 2020-12 validator as the specification's text defines them, with Ajv's strict mode on, so
 * a keyword that is not JSON Schema (3.0's `nullable`, which loose readers take as "or null" even
 * next to an `allOf`) makes the check fail instead of being read generously.
 *
 * startTestApp installs the check (a Fastify onSend hook) when the e2e setup file
 * (openapi-response-checks.ts) has enabled it; the setup file fails the test on a violation.
 */

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface CheckedResponse {
  method: string;
  /** Fastify's route pattern (`/api/v1/orders/:orderId`); undefined when no route matched. */
  route: string | undefined;
  url: string;
  status: number;
  contentType: string | undefined;
  body: string | undefined;
}

export interface Violation {
  request: string;
  status: number;
  problem: string;
  body?: string;
}

export interface ResponseChecks {
  checked: number;
  violations: Violation[];
}

const STATE = Symbol.for('ecommerce.openapiResponseChecks');
const globals = globalThis as unknown as { [STATE]?: ResponseChecks };

/** Turns the checks on for the apps this test file starts (called by the e2e setup file). */
export function enableResponseChecks(): ResponseChecks {
  return (globals[STATE] ??= { checked: 0, violations: [] });
}

export function responseChecks(): ResponseChecks | undefined {
  return globals[STATE];
}

/** Swagger UI, its assets and /docs-json are not API operations. */
const DOCS_ROUTE = /^\/docs(?:$|[/-])/;
/**
 * The route @fastify/cors adds so that Fastify accepts `OPTIONS` anywhere: a CORS preflight is
 * not an API operation (the document describes none), but it must be the empty 204. A refused
 * origin's preflight goes on to the not-found answer, checked like any unmatched request.
 */
const PREFLIGHT_ROUTE = '*';
const DOCUMENT_ID = 'openapi';
const SCHEMA_REF = '#/components/schemas/';
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

/** The OpenAPI 3.1 base dialect: JSON Schema 2020-12 plus these annotation keywords. */
const OPENAPI_KEYWORDS = ['example', 'discriminator', 'xml', 'externalDocs'];
/** OpenAPI's numeric formats (annotations: JSON Schema has no such formats). */
const OPENAPI_FORMATS = ['int32', 'int64', 'float', 'double'];

export class OpenApiResponseValidator {
  private readonly ajv = new Ajv2020({
    strict: true,
    // `type: ['integer', 'null']` is how 3.1 writes a nullable field.
    allowUnionTypes: true,
    // An inline `allOf` part narrows `properties` of its referenced sibling without repeating
    // `type` or `required`: valid JSON Schema that these two strict checks would refuse.
    strictTypes: false,
    strictRequired: false,
    allErrors: true,
  });
  private readonly operations = new Map<string, Json>();
  private readonly compiled = new Map<object, ValidateFunction>();
  private readonly errorBody: ValidateFunction;

  constructor(private readonly document: Json) {
    if (!/^3\.1\.\d+$/.test(String(document.openapi))) {
      throw new Error(
        `expected an OpenAPI 3.1 document, got ${document.openapi} (3.0's nullable is read loosely by most tools)`,
      );
    }
    addFormats(this.ajv);
    // Ajv knows 3.0's `nullable` (read as "or null" wherever a `type` is); JSON Schema does not.
    this.ajv.removeKeyword('nullable');
    for (const keyword of OPENAPI_KEYWORDS) this.ajv.addKeyword(keyword);
    for (const format of OPENAPI_FORMATS) this.ajv.addFormat(format, true);
    const schemas: Json = document.components?.schemas ?? {};
    this.ajv.addSchema({ $id: DOCUMENT_ID, $defs: strict(schemas) });
    // Compiled now, every one: a keyword strict mode refuses fails here, wherever it hides.
    for (const name of Object.keys(schemas)) this.ajv.getSchema(`${DOCUMENT_ID}#/$defs/${name}`);
    for (const [path, item] of Object.entries<Json>(document.paths)) {
      for (const method of METHODS) {
        if (item[method]) this.operations.set(`${method.toUpperCase()} ${path}`, item[method]);
      }
    }
    this.errorBody = this.ajv.compile({ $ref: `${DOCUMENT_ID}#/$defs/ErrorResponse` });
  }

  /** A description of what is wrong with the response, or null when the document allows it. */
  check(response: CheckedResponse): Violation | null {
    const request = `${response.method} ${response.url}`;
    const fail = (problem: string): Violation => ({
      request,
      status: response.status,
      problem,
      body: response.body?.slice(0, 500),
    });

    if (response.route === undefined) {
      // No route: the not-found answer, or a request the router rejected (bad URL encoding).
      if (response.status < 400) return fail('a success answer to a request that matched no route');
      return this.bodyProblem(this.errorBody, response, fail);
    }

    if (response.method === 'OPTIONS' && response.route === PREFLIGHT_ROUTE) {
      return response.status === 204 && !response.body
        ? null
        : fail('a CORS preflight must be answered 204 with no body');
    }

    const method = response.method === 'HEAD' ? 'GET' : response.method;
    const path = response.route.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const operation = this.operations.get(`${method} ${path}`);
    if (!operation) return fail(`${method} ${path} is not in the document`);

    let documented: Json | undefined = operation.responses?.[String(response.status)];
    if (!documented) {
      const listed = Object.keys(operation.responses ?? {}).join(', ');
      return fail(
        `status ${response.status} is not documented for ${operation.operationId} (${listed})`,
      );
    }
    if (documented.$ref) documented = this.resolve(documented.$ref);
    const media = documented?.content?.['application/json'];
    if (!media) {
      return response.body
        ? fail(`${operation.operationId} documents no body for ${response.status}`)
        : null;
    }
    if (response.method === 'HEAD') return null;
    if (!response.contentType?.startsWith('application/json')) {
      return fail(`content-type ${response.contentType} is not application/json`);
    }
    return this.bodyProblem(this.validatorFor(media.schema), response, fail);
  }

  private bodyProblem(
    validate: ValidateFunction,
    response: CheckedResponse,
    fail: (problem: string) => Violation,
  ): Violation | null {
    let body: unknown;
    try {
      body = JSON.parse(response.body ?? '');
    } catch {
      return fail('the body is not JSON');
    }
    return validate(body)
      ? null
      : fail(`the body does not match the schema: ${explain(validate.errors)}`);
  }

  private validatorFor(schema: Json): ValidateFunction {
    let validate = this.compiled.get(schema);
    if (!validate) {
      validate = this.ajv.compile(strict(schema));
      this.compiled.set(schema, validate);
    }
    return validate;
  }

  private resolve(ref: string): Json | undefined {
    return ref
      .replace(/^#\//, '')
      .split('/')
      .reduce<Json | undefined>(
        (node, key) => node?.[key.replace(/~1/g, '/').replace(/~0/g, '~')],
        this.document,
      );
  }
}

/**
 * The document's schemas, with two changes that make the check stricter, never looser:
 * - refs to `#/components/schemas/X` point to `$defs/X` of the schemas registered with Ajv;
 * - an object schema that lists its properties allows no others (except the inline parts of an
 *   `allOf`, which only narrow the schema they are combined with).
 */
function strict(node: unknown, insideAllOf = false): Json {
  if (Array.isArray(node)) return node.map((item) => strict(item, insideAllOf)) as unknown as Json;
  if (!node || typeof node !== 'object') return node as Json;
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string') {
      if (!value.startsWith(SCHEMA_REF))
        throw new Error(`a schema refers outside the schemas: ${value}`);
      out.$ref = `${DOCUMENT_ID}#/$defs/${value.slice(SCHEMA_REF.length)}`;
    } else if (key === 'example' || key === 'examples') {
      out[key] = value;
    } else if (key === 'properties') {
      const properties = Object.entries<Json>(value);
      out.properties = Object.fromEntries(
        properties.map(([name, schema]) => [name, strict(schema)]),
      );
    } else {
      out[key] = strict(value, key === 'allOf');
    }
  }
  if (out.properties && out.additionalProperties === undefined && !insideAllOf) {
    out.additionalProperties = false;
  }
  return out;
}

function explain(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .slice(0, 5)
    .map((error) => {
      const where = error.instancePath || '(body)';
      const extra =
        error.keyword === 'additionalProperties' ? ` '${error.params.additionalProperty}'` : '';
      const allowed =
        error.keyword === 'enum' ? ` ${JSON.stringify(error.params.allowedValues)}` : '';
      return `${where} ${error.message}${extra}${allowed}`;
    })
    .join('; ');
}

/**
 * Checks every response `app` sends against its own OpenAPI document, recording the outcome in
 * `checks`. Call it before the app listens (Fastify takes hooks until then).
 */
export function installResponseChecks(app: NestFastifyApplication, checks: ResponseChecks): void {
  const validator = new OpenApiResponseValidator(
    buildOpenApiDocument(app as unknown as INestApplication) as unknown as Json,
  );
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onSend', async (request, reply, payload) => {
      const route = request.routeOptions?.url;
      if (route !== undefined && DOCS_ROUTE.test(route)) return payload;
      try {
        const violation = validator.check({
          method: request.method,
          route,
          url: request.url,
          status: reply.statusCode,
          contentType: reply.getHeader('content-type')?.toString(),
          body:
            typeof payload === 'string'
              ? payload
              : Buffer.isBuffer(payload)
                ? payload.toString()
                : undefined,
        });
        if (violation) checks.violations.push(violation);
      } catch (error) {
        checks.violations.push({
          request: `${request.method} ${request.url}`,
          status: reply.statusCode,
          problem: `the check itself failed: ${(error as Error).stack}`,
        });
      }
      checks.checked += 1;
      return payload;
    });
}

export function formatViolations(violations: Violation[]): string {
  return [
    `${violations.length} response(s) outside the OpenAPI document (fix the code or the document, then npm run openapi):`,
    ...violations.map(
      (v) =>
        `  - ${v.request} -> ${v.status}: ${v.problem}${v.body ? `\n      body: ${v.body}` : ''}`,
    ),
  ].join('\n');
}
