import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ContractError, ErrorDefinition } from './contract-error';
import { ERRORS } from './error-code';

const DEFINITIONS: readonly ErrorDefinition[] = ERRORS;

const SRC = join(__dirname, '..', '..');

/** Every error class that a `*.error.ts` or `*.errors.ts` file under src/ exports. */
function errorClassesInSource(): Array<{ file: string; name: string; error: unknown }> {
  const files = readdirSync(SRC, { recursive: true, encoding: 'utf8' }).filter((file) =>
    /\.errors?\.ts$/.test(file),
  );
  return files.flatMap((file) =>
    Object.entries(jest.requireActual<Record<string, unknown>>(join(SRC, file)))
      .filter(
        ([, value]) => typeof value === 'function' && value.prototype instanceof ContractError,
      )
      .map(([name, error]) => ({ file, name, error })),
  );
}

describe('the error registry', () => {
  it('lists each code once', () => {
    const codes = ERRORS.map((error) => error.code);
    expect(codes.filter((code, i) => codes.indexOf(code) !== i)).toEqual([]);
  });

  it('lists every error class of the source', () => {
    const found = errorClassesInSource();
    expect(found.length).toBeGreaterThanOrEqual(ERRORS.length);
    const missing = found.filter(({ error }) => !(ERRORS as readonly unknown[]).includes(error));
    expect(missing.map(({ file, name }) => `${name} (${file})`)).toEqual([]);
  });

  it.each(DEFINITIONS.map((error) => [error.code, error] as const))(
    'gives %s an example of its own class, with a message made of real values',
    (_code, error) => {
      const example = error.example();
      expect(example).toBeInstanceOf(error);
      expect(example).toMatchObject({ code: error.code, status: error.status });
      expect(example.message).toMatch(/\S/);
      expect(example.message).not.toContain('undefined');
    },
  );
});
