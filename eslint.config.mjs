// @ts-check
import { readdirSync } from 'node:fs';
import tseslint from 'typescript-eslint';

const FRAMEWORK_PACKAGES = ['@nestjs/*', 'typeorm', 'class-validator', 'class-transformer', 'mysql2', 'fastify'];

/** Dependencies point inward: what each layer of a module may not import. */
const LAYER_RULES = {
  // The domain is plain TypeScript: no framework, ORM or HTTP.
  domain: [
    { group: FRAMEWORK_PACKAGES, message: 'domain code must not depend on frameworks' },
    { group: ['**/application/**', '**/infrastructure/**', '**/presentation/**'], message: 'domain depends on nothing outward' },
  ],
  // Use cases depend on ports, never on adapters or controllers.
  application: [
    { group: ['typeorm', 'mysql2', 'fastify'], message: 'application code talks to ports, not drivers' },
    { group: ['**/infrastructure/**', '**/presentation/**'], message: 'application must not import adapters' },
  ],
};

const MODULES = readdirSync(new URL('./src/modules', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

/**
 * A module reaches another only through its front door (`modules/<name>/index.ts`): from inside
 * module `own`, a relative import that climbs into another module's folder and goes past its
 * root is refused.
 */
function frontDoorRule(own) {
  const others = MODULES.filter((name) => name !== own).join('|');
  return {
    regex: `^(\\.\\./)+(${others})/.+`,
    message: `import another module through its front door (modules/<name>/index.ts), not its files`,
  };
}

/** One no-restricted-imports per module and layer: ESLint keeps only the last one per file. */
const moduleRules = MODULES.flatMap((name) => [
  ...Object.entries(LAYER_RULES).map(([layer, patterns]) => ({
    files: [`src/modules/${name}/${layer}/**/*.ts`],
    rules: { 'no-restricted-imports': ['error', { patterns: [...patterns, frontDoorRule(name)] }] },
  })),
  {
    files: [`src/modules/${name}/*.ts`, `src/modules/${name}/{infrastructure,presentation}/**/*.ts`],
    rules: { 'no-restricted-imports': ['error', { patterns: [frontDoorRule(name)] }] },
  },
]);

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'eslint.config.mjs', 'jest.config.js'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  ...moduleRules,
  {
    // Outside the modules (app wiring, common/, tests' helpers in src) only the front doors.
    files: ['src/*.ts', 'src/common/**/*.ts', 'src/config/**/*.ts', 'src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: `modules/(${MODULES.join('|')})/.+`, message: 'import a module through its front door (modules/<name>/index.ts)' }] },
      ],
    },
  },
  {
    // The error registry lists every module's error classes, from their own files: an error file
    // imports only the error bases, where a front door would load the module and close a cycle.
    files: ['src/common/errors/error-code.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: `modules/(${MODULES.join('|')})/(?!domain/errors/[\\w-]+\\.error$).+`, message: 'the registry imports only error files (modules/<name>/domain/errors/*.error)' }] },
      ],
    },
  },
  {
    // CommonJS read by node or by jest.config.js before any TypeScript runs.
    files: ['scripts/**/*.js', 'test/support/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', process: 'readonly', __dirname: 'readonly', module: 'writable' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
