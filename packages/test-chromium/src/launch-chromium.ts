import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/** Where Debian's chromium lives (`.ci/run` installs it); MTL2R_CHROMIUM overrides. */
export const CHROMIUM = process.env.MTL2R_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Debian's Chromium under Playwright, headless, with the network features off that this machine's closed
 * network would refuse (Playwright gives it a new empty profile). A missing browser is an error, never a skip: pages are checked for real.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `no Chromium at ${CHROMIUM}: install Debian's chromium (apt-get install chromium) or set MTL2R_CHROMIUM`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
