/** One `jest` run covers unit, integration and e2e; the last two share one database server. */
const { testsWithoutTheirProgram } = require('./test/support/system-programs');

const tsJest = ['ts-jest', { tsconfig: 'tsconfig.test.json' }];
// Files whose system program (Chromium, Prometheus) this machine lacks: left out, and said so.
const testPathIgnorePatterns = [
  '/node_modules/',
  ...testsWithoutTheirProgram().map((file) => `<rootDir>/${file.replace(/\./g, '\\.')}$`),
];

module.exports = {
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  maxWorkers: 2,
  testTimeout: 60_000,
  projects: [
    {
      displayName: 'unit',
      rootDir: '.',
      testMatch: ['<rootDir>/src/**/*.spec.ts'],
      transform: { '^.+\\.ts$': tsJest },
      testEnvironment: 'node',
      testPathIgnorePatterns,
    },
    {
      displayName: 'integration',
      rootDir: '.',
      testMatch: ['<rootDir>/test/integration/**/*.int-spec.ts'],
      transform: { '^.+\\.ts$': tsJest },
      testEnvironment: 'node',
      testPathIgnorePatterns,
    },
    {
      displayName: 'e2e',
      rootDir: '.',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
      transform: { '^.+\\.ts$': tsJest },
      testEnvironment: 'node',
      testPathIgnorePatterns,
      // Checks every response against the OpenAPI document; fails a test on a response outside it.
      setupFilesAfterEnv: ['<rootDir>/test/support/openapi-response-checks.ts'],
    },
  ],
};
