import { existsSync } from 'node:fs';

export interface SystemProgram {
  /** Where the tests run it from. */
  path: string;
  /** How to get it, for the message. */
  install: string;
}

/**
 * `describe` for tests that need a system program a fresh machine may lack (Chromium,
 * Prometheus): there they are skipped with a plain message saying how to install it, not
 * failed, unless REQUIRE_SYSTEM_PROGRAMS=1 (set by .ci/run, which installs them) makes them
 * mandatory.
 */
export function describeWith(program: SystemProgram, name: string, tests: () => void): void {
  if (existsSync(program.path) || process.env.REQUIRE_SYSTEM_PROGRAMS === '1') {
    describe(name, tests);
    return;
  }
  process.stderr.write(
    `\nSKIPPED "${name}": ${program.path} is not installed. Install it with ` +
      `\`${program.install}\` to run these tests.\n`,
  );
  describe.skip(name, tests);
}
