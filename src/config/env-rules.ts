import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  isURL,
  Matches,
  Max,
  Min,
  ValidateBy,
  ValidationArguments,
  ValidationOptions,
} from 'class-validator';
import { isIP } from 'node:net';

/*
 * class-validator rules for environment variables. Each reads the raw string (blank is unset:
 * the property keeps its default), converts what it can and leaves anything else as the raw
 * string, so that the rule fails with a message naming the key and the value given:
 * `PORT must be an integer from 0 to 65535 (got "abc")`.
 */

/** `KEY must be <what> (got "<value>")`; `what` may depend on the value. */
function must(what: string | ((value: string) => string)): ValidationOptions {
  return {
    message: ({ property, value }: ValidationArguments) => {
      const given = String(value);
      return `${property} must be ${typeof what === 'string' ? what : what(given)} (got "${given}")`;
    },
  };
}

/** Trimmed; blank is unset. */
function read(convert: (value: string) => unknown = (value) => value): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => {
    if (typeof value !== 'string') return value;
    const trimmed = value.trim();
    return trimmed === '' ? undefined : convert(trimmed);
  });
}

/** A rule of its own: `accepts` sees the converted value. */
function rule(
  name: string,
  accepts: (value: unknown) => boolean,
  what: string | ((value: string) => string),
) {
  return ValidateBy({ name, validator: { validate: accepts } }, must(what));
}

/** Used as given (not trimmed); only the empty string is unset. */
export const Text = () =>
  Transform(({ value }: { value: unknown }) => (value === '' ? undefined : value));

/** Trimmed; blank is unset. */
export const Trimmed = () => read();

export const Integer = (min: number, max: number) => {
  const options = must(`an integer from ${min} to ${max}`);
  return applyDecorators(
    read((value) =>
      /^-?\d+$/.test(value) && Number.isSafeInteger(Number(value)) ? Number(value) : value,
    ),
    IsInt(options),
    Min(min, options),
    Max(max, options),
  );
};

const TRUE = ['true', '1', 'yes'];
const FALSE = ['false', '0', 'no'];

export const Flag = () =>
  applyDecorators(
    read((value) => {
      const lower = value.toLowerCase();
      return TRUE.includes(lower) ? true : FALSE.includes(lower) ? false : lower;
    }),
    IsBoolean(must('true or false')),
  );

export const OneOf = (values: readonly string[]) =>
  applyDecorators(read(), IsIn(values, must(`one of ${values.join(', ')}`)));

export const Matching = (pattern: RegExp, what: string) =>
  applyDecorators(read(), Matches(pattern, must(what)));

const urlWith = (protocols: string[]) => (value: unknown) =>
  typeof value === 'string' &&
  isURL(value, { protocols, require_protocol: true, require_tld: false, allow_underscores: true });

export const Url = (protocols: string[]) =>
  applyDecorators(
    read(),
    rule(
      'isUrl',
      urlWith(protocols),
      `a ${protocols.map((protocol) => `${protocol}:`).join(' or ')} URL`,
    ),
  );

const NATS_URL = /^nats:\/\/[A-Za-z0-9.-]+(:\d{1,5})?(,[A-Za-z0-9.-]+(:\d{1,5})?)*$/;
const isNats = (value: unknown) => /^nats:/i.test(String(value));
const isHttpUrl = urlWith(['http', 'https']);

/** An http(s) URL (POST), or `nats://host:port[,host:port...]` (JetStream). */
export const DataPlatformUrl = () =>
  applyDecorators(
    read(),
    rule(
      'isDataPlatformUrl',
      (value) => (isNats(value) ? NATS_URL.test(String(value)) : isHttpUrl(value)),
      (value) =>
        isNats(value) ? 'a nats://host:port[,host:port...] URL' : 'a http: or https: URL',
    ),
  );

/**
 * Fastify's `trustProxy`: off, `true` (every hop), a hop count, or a comma-separated list of
 * proxy addresses and CIDR ranges (and proxy-addr's `loopback`, `linklocal`, `uniquelocal`).
 */
export const TrustProxySetting = () =>
  applyDecorators(
    read((value) => {
      const lower = value.toLowerCase();
      if (lower === 'false' || lower === 'no') return false;
      if (lower === 'true' || lower === 'yes') return true;
      if (/^\d+$/.test(value)) return Number(value);
      const addresses = value.split(',').map((entry) => entry.trim());
      return addresses.every(isProxyAddress) ? addresses : value;
    }),
    rule(
      'isTrustProxy',
      (value) =>
        typeof value === 'boolean' ||
        Array.isArray(value) ||
        (Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 100),
      'true, false, a hop count from 1 to 100, or a comma-separated list of IP addresses or CIDR ranges',
    ),
  );

const PROXY_ADDRESS_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

function isProxyAddress(entry: string): boolean {
  if (PROXY_ADDRESS_NAMES.includes(entry)) return true;
  const [address, prefix, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128);
}

/**
 * A comma-separated list whose entries `parse` turns into values (null: not one), or the
 * `wildcard` alone. The message quotes the first entry that is not one.
 */
function listOf<T>(
  name: string,
  parse: (entry: string) => T | null,
  what: string,
  wildcard?: string,
) {
  const entries = (value: string) => value.split(',').map((entry) => entry.trim());
  const badEntry = (value: string) => entries(value).find((entry) => parse(entry) === null);
  return applyDecorators(
    read((value) => {
      if (value === wildcard) return value;
      const parsed = entries(value).map(parse);
      return parsed.includes(null) ? value : parsed;
    }),
    ValidateBy(
      {
        name,
        validator: { validate: (value) => Array.isArray(value) || value === wildcard },
      },
      {
        message: ({ property, value }: ValidationArguments) =>
          `${property} must be ${what} (got "${badEntry(String(value))}")`,
      },
    ),
  );
}

/** `host[:port],host[:port],...` */
export const HostPorts = (defaultPort: number) =>
  listOf(
    'isHostPortList',
    (entry) => {
      const match = /^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:]+\])(?::(\d{1,5}))?$/.exec(entry);
      const port = match?.[2] === undefined ? defaultPort : Number(match[2]);
      return match && port >= 1 && port <= 65535 ? { host: match[1], port } : null;
    },
    'host[:port] entries separated by commas',
  );

/** `*`, or comma-separated exact origins (`scheme://host[:port]`), as browsers send them. */
export const Origins = () =>
  listOf(
    'isOriginList',
    asOrigin,
    '* or comma-separated origins such as https://shop.example.com,http://localhost:5173',
    '*',
  );

/**
 * The origin `value` names, as a browser sends it in `Origin` (lower-case host, no default port),
 * or null when `value` is not exactly an origin (a path, a query, credentials, a wildcard).
 */
function asOrigin(value: string): string | null {
  if (!/^https?:\/\/[^/?#@*\s]+\/?$/i.test(value)) return null;
  try {
    return new URL(value).origin;
  } catch {
    return null;
  }
}
