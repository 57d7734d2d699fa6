/**
 * `npm run screenshot:card -- <output.png> [scenario]`: presses a scenario on the sandbox page
 * (default `m2m-secret-broken`), waits for the incident card and its runbook, screenshots the card
 * alone and prints how many lines it renders. docs/on-call.md shows the before and after pictures
 * taken with it.
 *
 * A rendered line is a distinct vertical position of text in the card as the browser lays it out
 * (a wrapped sentence counts twice, a row of buttons once): what a reader's eye has to scan.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { findChromium, launchChromium } from '../sandbox/chromium.js';
import { startSandbox } from '../sandbox/sandbox.js';

const [output, scenario = 'm2m-secret-broken'] = process.argv.slice(2);
if (output === undefined) {
  process.stderr.write('usage: npm run screenshot:card -- <output.png> [scenario]\n');
  process.exit(64);
}
const chromiumPath = findChromium();
if (chromiumPath === undefined) {
  process.stderr.write(
    'screenshot:card needs Chromium: apt-get install -y chromium (or set CHROMIUM_PATH)\n',
  );
  process.exit(69);
}
const file = resolve(output);
mkdirSync(dirname(file), { recursive: true });

/**
 * Runs in the page (so kept as source: this project's types have no DOM): the distinct line boxes
 * of every text node and control inside the card.
 */
const COUNT_LINES = `(root) => {
  const tops = new Set();
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
    if ((node.textContent ?? '').trim() === '') continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const rect of range.getClientRects()) if (rect.height > 0) tops.add(Math.round(rect.top / 4));
  }
  for (const el of root.querySelectorAll('button, a, select, img')) {
    const rect = el.getBoundingClientRect();
    if (rect.height > 0) tops.add(Math.round(rect.top / 4));
  }
  return tops.size;
}`;

const sandbox = await startSandbox({ port: 0, seed: 7 });
const browser = await launchChromium(chromiumPath);
try {
  // Tall enough that the whole card fits without scrolling the message list.
  const page = await browser.newPage({ viewport: { width: 1100, height: 2400 } });
  page.setDefaultTimeout(60_000);
  await page.goto(`${sandbox.url}?user=U0OPERATOR`);
  await page.getByTestId(`scenario-${scenario}`).click();
  const card = page
    .locator('[data-testid="message"]')
    .filter({ has: page.locator('.block-header') })
    .filter({ has: page.locator('[data-action-id^="step:"]') })
    .first();
  await card.waitFor({ timeout: 90_000 });
  // The card is edited as detection reads the rest of the scenario's entries: shoot it once it
  // has stayed the same for a few seconds.
  let last = '';
  for (let same = 0; same < 6;) {
    await page.waitForTimeout(500);
    const now = (await card.textContent()) ?? '';
    same = now === last ? same + 1 : 0;
    last = now;
  }
  // The scenario's toast would cover the card.
  await page.evaluate(`document.querySelectorAll('[data-testid="toast"]').forEach((n) => n.remove())`);
  await card.screenshot({ path: file });
  // Smaller PNGs for the docs when pngquant is installed (apt-get install pngquant).
  spawnSync('pngquant', ['--force', '--skip-if-larger', '--output', file, '--', file]);
  // The same card the locator finds: the first message with a header and a step button.
  const lines = Number(
    await page.evaluate(
      `(${COUNT_LINES})([...document.querySelectorAll('[data-testid="message"]')].find((m) => m.querySelector('.block-header') && m.querySelector('[data-action-id^="step:"]')))`,
    ),
  );
  const box = await card.boundingBox();
  process.stdout.write(
    `wrote ${file}: ${String(lines)} rendered lines, ${String(Math.round(box?.height ?? 0))} px tall\n`,
  );
} finally {
  await browser.close();
  await sandbox.stop();
}
