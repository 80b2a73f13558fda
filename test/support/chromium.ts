import { existsSync } from 'node:fs';
import { Browser, chromium } from 'playwright-core';
import { describeWith } from './system-program';

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

/** `describe` for tests that drive a real browser (skipped with a message where it is missing). */
export function describeInChromium(name: string, tests: () => void): void {
  describeWith(
    { path: CHROMIUM, install: 'apt-get install -y chromium (or set CHROMIUM_PATH)' },
    name,
    tests,
  );
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
