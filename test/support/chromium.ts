import { existsSync } from 'node:fs';
import { Browser, chromium } from 'playwright-core';

/** Debian's chromium (`apt-get install -y chromium`); .ci/run installs it when missing. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Flags that work as root on a closed network (no sandbox, no GPU, nothing phoning home). */
const LAUNCH_ARGS = [
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

/** Headless Chromium through playwright-core; fails saying how to install it when missing. */
export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM}: install it with ` +
        '`apt-get update && apt-get install -y chromium` (.ci/run does), or set CHROMIUM_PATH.',
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
}
