import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`; `.ci/run` installs it when missing), never a test tool's download. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Launches headless Chromium for browser tests: no sandbox (CI runs as root in a container), no GPU, and none of
 * the background traffic (updates, sync, first-run pages) a test machine without internet would wait on.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}
