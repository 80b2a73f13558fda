import { existsSync } from 'node:fs';

/** Debian's chromium (`apt-get install -y chromium`); .ci/run installs it when missing. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_LAUNCH_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * `describe` for tests that drive a real browser. Chromium is a system program a fresh machine
 * lacks: there these tests are skipped with a plain message, not failed, unless
 * REQUIRE_CHROMIUM=1 (set by .ci/run, which installs it) makes them mandatory.
 */
export function describeInChromium(name: string, tests: () => void): void {
  if (existsSync(CHROMIUM) || process.env.REQUIRE_CHROMIUM === '1') {
    describe(name, tests);
    return;
  }
  process.stderr.write(
    `\nSKIPPED "${name}": Chromium is not installed at ${CHROMIUM}. Install it with ` +
      '`apt-get install -y chromium` (or set CHROMIUM_PATH) to run the browser tests.\n',
  );
  describe.skip(name, tests);
}
