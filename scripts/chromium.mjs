// Debian's Chromium, driven by playwright-core, with the flags that keep it from contacting
// anything (no downloads, no sync, no component updates). Shared by the end-to-end tests and the
// benchmarks.

import { chromium } from 'playwright-core';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Launches headless Chromium (`CHROMIUM` overrides /usr/bin/chromium). */
export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
}
