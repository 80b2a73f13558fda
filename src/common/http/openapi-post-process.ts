import type { OpenAPIObject } from '@nestjs/swagger';
import { errorExample } from '../errors/api-errors.decorator';
import { ServiceUnavailableError } from '../errors/common.errors';
import type { ErrorDefinition } from '../errors/contract-error';
import { ERROR_STATUS, ERRORS } from '../errors/error-code';
import {
  InternalError,
  PayloadTooLargeError,
  TooManyRequestsError,
  UnsupportedMediaTypeError,
} from '../errors/http.errors';

export const OPENAPI_VERSION = '3.1.0';

/** The component every error response refers to (`ErrorResponseDto`, named by @ApiSchema). */
export const ERROR_SCHEMA = 'ErrorResponse';

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
/** Methods whose requests Fastify parses a body for: they can answer 413 and 415. */
const BODY_METHODS = new Set(['put', 'post', 'patch', 'delete']);

/** Answers any route can give, whatever its controller declares. */
const EVERY_ROUTE: ErrorDefinition[] = [
  TooManyRequestsError,
  InternalError,
  ServiceUnavailableError,
];
const BODY_ROUTES: ErrorDefinition[] = [PayloadTooLargeError, UnsupportedMediaTypeError];

/** Every path parameter's example: product 1 and user 1 exist in the demo data (demo-data.ts). */
export const PATH_ID_EXAMPLE = 1;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * The finishing pass over the document Nest generates, for what decorators cannot say once for
 * all routes. It is a pure function of the generated document, so /docs-json, `npm run openapi`
 * and the tests all get the same result:
 *
 * - every error response: the `ErrorResponse` body narrowed to its status and the codes the route
 *   can return (a `code` enum), a description of each code, and one example per code;
 * - 429, 500 and 503 on every operation, 413 and 415 on every operation that takes a body;
 *   `Retry-After` on 429 and 503;
 * - public operations say so (`security: []`), so they are not mistaken for an oversight;
 * - path parameters are ids: positive integers up to 2^53 - 1, with an example an importer can
 *   send (`1`: the first demo product, and user 1 who has a demo balance);
 * - numbers are integers (money is whole KRW, ids, quantities and counts are integers): a
 *   `type: number` without a `format` becomes `integer`; a fractional field says `format: double`;
 * - request bodies reject unknown fields (`additionalProperties: false`), as validation does;
 * - the document is OpenAPI 3.1, whose schemas are JSON Schema 2020-12 (see `nullableAs31`).
 */
export function finishOpenApiDocument(document: OpenAPIObject): OpenAPIObject {
  const doc = document as unknown as Json;
  doc.openapi = OPENAPI_VERSION;
  const requestSchemas = new Set<string>();

  for (const [path, item] of Object.entries<Json>(doc.paths ?? {})) {
    for (const method of METHODS) {
      const operation: Json | undefined = item[method];
      if (!operation) continue;
      operation.security ??= [];
      const responses: Json = (operation.responses ??= {});

      const codes = new Map<number, Set<string>>();
      for (const [status, response] of Object.entries<Json>(responses)) {
        if (Number(status) >= 400) codes.set(Number(status), new Set(codesOf(response)));
      }
      for (const error of [...EVERY_ROUTE, ...(BODY_METHODS.has(method) ? BODY_ROUTES : [])]) {
        codes.set(error.status, (codes.get(error.status) ?? new Set()).add(error.code));
      }
      for (const [status, set] of codes) {
        responses[status] = errorResponse(doc, status, [...set], path);
      }
      for (const [status, response] of Object.entries<Json>(responses)) {
        if (Number(status) < 400 && !response.description) {
          response.description = status === '201' ? 'Created' : 'OK';
        }
      }
      operation.responses = sortByKey(responses);

      for (const parameter of operation.parameters ?? []) {
        if (parameter.in === 'path') {
          parameter.description ??= 'A positive integer id';
          parameter.schema = {
            type: 'integer',
            minimum: 1,
            maximum: Number.MAX_SAFE_INTEGER,
            example: PATH_ID_EXAMPLE,
          };
          // On the parameter too: Postman, Portman and Dredd build a request from this one.
          parameter.example = PATH_ID_EXAMPLE;
        }
      }
      const bodySchema = operation.requestBody?.content?.['application/json']?.schema;
      if (bodySchema) collectRefs(doc, bodySchema, requestSchemas);
    }
  }

  for (const name of requestSchemas) {
    const schema = doc.components.schemas[name];
    if (schema.type === 'object') schema.additionalProperties = false;
  }
  doc.components.examples = sortByKey(doc.components.examples ?? {});
  walkSchemas(doc, (schema) => {
    if (schema.type === 'number' && !schema.format) schema.type = 'integer';
    nullableAs31(schema);
  });
  return document;
}

/**
 * `@nestjs/swagger` writes OpenAPI 3.0's `nullable: true`. Under 3.0.3 that keyword adds null
 * only to the `type` of its own schema, so `nullable` next to `allOf: [$ref]` still demands the
 * object, and strict tools (Prism, generators that follow the text) reject a `null` there. In
 * 3.1 null is a type like any other: `type: [t, 'null']`, and a nullable reference becomes
 * `oneOf: [{ $ref }, { type: 'null' }]`.
 */
function nullableAs31(schema: Json): void {
  if (!('nullable' in schema)) return;
  const nullable = schema.nullable === true;
  delete schema.nullable;
  if (!nullable) return;
  const ref = schema.$ref ?? (schema.allOf?.length === 1 ? schema.allOf[0].$ref : undefined);
  if (typeof ref === 'string') {
    delete schema.$ref;
    delete schema.allOf;
    delete schema.type;
    schema.oneOf = [{ $ref: ref }, { type: 'null' }];
  } else if (typeof schema.type === 'string') {
    schema.type = [schema.type, 'null'];
    if (Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum.push(null);
  } else {
    throw new Error(
      `OpenAPI: a nullable schema with neither a type nor a $ref: ${JSON.stringify(schema)}`,
    );
  }
}

/** The codes an error response carries: the names of its examples (see `ApiErrors`). */
function codesOf(response: Json | undefined): string[] {
  const examples = response?.content?.['application/json']?.examples ?? {};
  return Object.keys(examples).filter((key) => key in ERROR_STATUS);
}

function errorResponse(doc: Json, status: number, codes: string[], path: string): Json {
  // In the registry's order, whatever the order the decorators named them in.
  const errors: ErrorDefinition[] = ERRORS.filter((error) => codes.includes(error.code));
  if (errors.length === 0)
    throw new Error(`OpenAPI: the ${status} response of ${path} names no error code`);
  for (const error of errors) {
    if (error.status !== status)
      throw new Error(`OpenAPI: ${error.code} is not a ${status} (${path})`);
  }
  // One shared example per code (its path: the first operation that can answer it).
  doc.components.examples ??= {};
  for (const error of errors) {
    doc.components.examples[error.code] ??= {
      summary: error.code,
      value: errorExample(error, path.replace(/\{[^}]+\}/g, '1')),
    };
  }
  return {
    description: errors.map((error) => `- \`${error.code}\`: ${error.description}`).join('\n'),
    ...(status === 429 || status === 503
      ? {
          headers: {
            'Retry-After': {
              description: 'Seconds to wait before retrying',
              schema: { type: 'integer', minimum: 0 },
            },
          },
        }
      : {}),
    content: {
      'application/json': {
        schema: {
          allOf: [
            { $ref: `#/components/schemas/${ERROR_SCHEMA}` },
            {
              type: 'object',
              properties: {
                statusCode: { type: 'integer', enum: [status] },
                code: { type: 'string', enum: errors.map((error) => error.code) },
              },
            },
          ],
        },
        examples: Object.fromEntries(
          errors.map(({ code }) => [code, { $ref: `#/components/examples/${code}` }]),
        ),
      },
    },
  };
}

/** Adds the names of the component schemas `schema` uses, transitively, to `into`. */
function collectRefs(doc: Json, schema: unknown, into: Set<string>): void {
  if (Array.isArray(schema)) return schema.forEach((item) => collectRefs(doc, item, into));
  if (!schema || typeof schema !== 'object') return;
  const ref = (schema as Json).$ref;
  if (typeof ref === 'string') {
    const name = ref.replace('#/components/schemas/', '');
    if (!into.has(name)) {
      into.add(name);
      collectRefs(doc, doc.components.schemas[name], into);
    }
    return;
  }
  for (const value of Object.values(schema)) collectRefs(doc, value, into);
}

/** Calls `visit` on every schema object of the document: components, parameters, bodies. */
function walkSchemas(doc: Json, visit: (schema: Json) => void): void {
  const walk = (node: unknown, isSchema: boolean): void => {
    if (Array.isArray(node)) return node.forEach((item) => walk(item, isSchema));
    if (!node || typeof node !== 'object') return;
    if (isSchema) visit(node as Json);
    for (const [key, value] of Object.entries(node)) {
      if (key === 'example' || key === 'examples' || key === 'enum' || key === 'default') continue;
      const childIsSchema =
        key === 'schema' ||
        key === 'items' ||
        key === 'not' ||
        key === 'additionalProperties' ||
        (isSchema && (key === 'allOf' || key === 'anyOf' || key === 'oneOf'));
      if (isSchema && key === 'properties') {
        for (const property of Object.values(value as Json)) walk(property, true);
      } else {
        walk(value, childIsSchema);
      }
    }
  };
  for (const schema of Object.values(doc.components?.schemas ?? {})) walk(schema, true);
  walk(doc.paths, false);
}

function sortByKey(object: Json): Json {
  return Object.fromEntries(Object.entries(object).sort(([a], [b]) => a.localeCompare(b)));
}
