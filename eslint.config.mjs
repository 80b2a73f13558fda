// @ts-check
import tseslint from 'typescript-eslint';

const FRAMEWORK_PACKAGES = ['@nestjs/*', 'typeorm', 'class-validator', 'class-transformer', 'mysql2', 'fastify'];

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
  {
    // The domain is plain TypeScript: no framework, ORM or HTTP.
    files: ['src/modules/*/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: FRAMEWORK_PACKAGES, message: 'domain code must not depend on frameworks' },
            { group: ['**/application/**', '**/infrastructure/**', '**/presentation/**'], message: 'domain depends on nothing outward' },
          ],
        },
      ],
    },
  },
  {
    // Use cases depend on ports, never on adapters or controllers.
    files: ['src/modules/*/application/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['typeorm', 'mysql2', 'fastify'], message: 'application code talks to ports, not drivers' },
            { group: ['**/infrastructure/**', '**/presentation/**'], message: 'application must not import adapters' },
          ],
        },
      ],
    },
  },
  {
    files: ['scripts/**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', process: 'readonly', __dirname: 'readonly', module: 'writable' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
