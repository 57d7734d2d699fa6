/**
 * `npm run sandbox:screenshots`: regenerates the README's two pictures (the incident card and the
 * Home tab) from the sandbox as it renders them, in the system's Chromium.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { findChromium, launchChromium } from './chromium.js';
import { projectRoot } from './app-process.js';
import { startSandbox } from './sandbox.js';

const chromiumPath = findChromium();
if (chromiumPath === undefined) {
  process.stderr.write(
    'sandbox:screenshots needs Chromium: apt-get install -y chromium (or set CHROMIUM_PATH)\n',
  );
  process.exit(69);
}
const out = join(projectRoot, 'docs');
mkdirSync(out, { recursive: true });

const sandbox = await startSandbox({ port: 0, seed: 7 });
const browser = await launchChromium(chromiumPath);
try {
  // Tall enough that the whole card fits without scrolling the message list.
  const page = await browser.newPage({ viewport: { width: 1100, height: 2400 } });
  page.setDefaultTimeout(45_000);
  await page.goto(`${sandbox.url}?user=U0OPERATOR`);
  await sandbox.runScenario('failed-login-spike');
  const card = page
    .locator('[data-testid="message"]')
    .filter({ has: page.locator('.block-header', { hasText: 'Failed logins' }) })
    .first();
  await card.waitFor();
  await card.locator('[data-action-id^="incident:ack:"]').click();
  await page
    .locator('[data-testid="message"]')
    .filter({ hasText: /Acknowledged/ })
    .first()
    .waitFor();
  await card.screenshot({ path: join(out, 'sandbox-card.png') });

  await page.setViewportSize({ width: 1100, height: 760 });
  await page.getByTestId('nav-home').click();
  await page.getByTestId('home').locator('[data-block-type]').first().waitFor();
  await page.screenshot({ path: join(out, 'sandbox-home.png') });
  for (const name of ['sandbox-card.png', 'sandbox-home.png']) {
    const file = join(out, name);
    // Smaller PNGs for the README when pngquant is installed (apt-get install pngquant).
    spawnSync('pngquant', ['--force', '--skip-if-larger', '--output', file, '--', file]);
    process.stdout.write(`wrote ${file} (${Math.round(statSync(file).size / 1024)} KiB)\n`);
  }
} finally {
  await browser.close();
  await sandbox.stop();
}
