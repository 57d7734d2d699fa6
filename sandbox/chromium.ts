/**
 * Headless Chromium from the system (Debian's /usr/bin/chromium), driven by playwright-core. Never
 * downloads a browser: without one installed, `findChromium()` says so and the caller skips.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** The browser to use: CHROMIUM_PATH if set, else the first system Chromium found. */
export const findChromium = (): string | undefined => {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv !== undefined && fromEnv !== '') return existsSync(fromEnv) ? fromEnv : undefined;
  return CANDIDATES.find((path) => existsSync(path));
};

// Without the background-networking flags Chromium keeps dialling Google's hosts, which this
// offline machine refuses. Playwright gives every launch a fresh temporary profile of its own
// (it refuses --user-data-dir), so runs stay independent.
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const launchChromium = (executablePath: string): Promise<Browser> =>
  chromium.launch({ executablePath, args: FLAGS, timeout: 30_000 });
