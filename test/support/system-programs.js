/**
 * The test files that need a system program a fresh machine may lack. Where the program is
 * missing, `npm test` leaves its files out of the run and says so, with how to install it; with
 * REQUIRE_SYSTEM_PROGRAMS=1 (set by .ci/run, which installs them) every file runs, and one whose
 * program is missing fails. Plain CommonJS: jest.config.js reads it before any TypeScript runs.
 */
const { existsSync } = require('node:fs');

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const PROMETHEUS = process.env.PROMETHEUS_PATH ?? '/usr/bin/prometheus';
const PROMTOOL = process.env.PROMTOOL_PATH ?? '/usr/bin/promtool';

const PROGRAMS = [
  {
    path: CHROMIUM,
    install: 'apt-get install -y chromium (or set CHROMIUM_PATH)',
    tests: ['test/e2e/swagger-ui.e2e-spec.ts', 'test/e2e/cors-browser.e2e-spec.ts'],
  },
  {
    path: PROMETHEUS,
    install: 'apt-get install --no-install-recommends prometheus',
    tests: ['test/integration/prometheus.int-spec.ts'],
  },
];

/** The files to leave out of this run (each said once on stderr). */
function testsWithoutTheirProgram() {
  if (process.env.REQUIRE_SYSTEM_PROGRAMS === '1') return [];
  const missing = PROGRAMS.filter((program) => !existsSync(program.path));
  for (const program of missing) {
    process.stderr.write(
      `\nNOT RUN: ${program.tests.join(', ')}: ${program.path} is not installed. ` +
        `Install it with \`${program.install}\` to run them.\n`,
    );
  }
  return missing.flatMap((program) => program.tests);
}

module.exports = { CHROMIUM, PROMETHEUS, PROMTOOL, testsWithoutTheirProgram };
