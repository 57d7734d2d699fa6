/**
 * The sandbox in a real browser: the built app as a child process against the fakes, and the fake
 * Slack's page driven by Playwright in Debian's Chromium. A click on the page is a real
 * `block_actions` envelope over the app's Socket Mode connection.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox.js';
import { findChromium, launchChromium } from '../../sandbox/chromium.js';
import { projectRoot } from '../../sandbox/app-process.js';

const chromiumPath = findChromium();
const SCREENSHOTS = join(projectRoot, 'tests', 'e2e', '__screenshots__');
const OPERATOR = 'U0OPERATOR';
const VIEWER = 'U0VIEWER';

if (chromiumPath === undefined) {
  const where = process.env.CHROMIUM_PATH
    ? `CHROMIUM_PATH=${process.env.CHROMIUM_PATH} does not exist`
    : 'none at /usr/bin/chromium, /usr/bin/chromium-browser or /usr/bin/google-chrome';
  console.warn(
    `sandbox browser test SKIPPED: no Chromium (${where}). Install it with \`apt-get install -y chromium\`.`,
  );
}

describe.skipIf(chromiumPath === undefined)('the sandbox in a browser', () => {
  let sandbox: Sandbox;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, seed: 7 });
    browser = await launchChromium(chromiumPath ?? '');
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(30_000);
  }, 90_000);

  afterAll(async () => {
    await browser.close();
    await sandbox.stop();
  }, 30_000);

  /** Runs a step; on failure leaves a screenshot of the page under tests/e2e/__screenshots__/. */
  const step = async (name: string, body: () => Promise<void>): Promise<void> => {
    try {
      await body();
    } catch (error) {
      mkdirSync(SCREENSHOTS, { recursive: true });
      const file = join(SCREENSHOTS, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
      throw new Error(`step "${name}" failed (screenshot: ${file})`, { cause: error });
    }
  };

  const card = (): Locator =>
    page
      .locator('[data-testid="message"]')
      .filter({ has: page.locator('.block-header', { hasText: 'Failed logins' }) })
      .first();

  const switchUser = async (userId: string) => {
    await page.getByTestId('user-switcher').selectOption(userId);
    await expect.poll(() => new URL(page.url()).searchParams.get('user')).toBe(userId);
  };

  it('spike → card → acknowledge → run a step as operator → result in thread → denial for a non-operator → Home', async () => {
    await step('open', async () => {
      await page.goto(`${sandbox.url}?user=${OPERATOR}`);
      await expect.poll(() => page.getByTestId('app-status').textContent()).toMatch(/\bconnected\b/);
      await expect.poll(() => page.locator('[data-testid^="scenario-"]').count()).toBeGreaterThanOrEqual(7);
    });

    await step('trigger-spike', async () => {
      await page.getByTestId('scenario-failed-login-spike').click();
      await card().waitFor({ state: 'visible', timeout: 45_000 });
      expect(await card().getAttribute('data-user')).toBe(sandbox.slack.options.botUserId);
    });

    await step('acknowledge', async () => {
      const ack = card().locator('[data-action-id^="incident:ack:"]');
      await ack.click();
      await confirmIfAsked();
      await expect.poll(() => card().textContent(), { timeout: 15_000 }).toMatch(/Acknowledged/i);
      // The click went to the app as a real block_actions envelope over its socket.
      const clicks = sandbox.slack.envelopes.filter((e) => e.type === 'interactive');
      expect(JSON.stringify(clicks.map((e) => e.payload))).toMatch(/"type":"block_actions".*incident:ack:/);
      expect(clicks.every((e) => e.ack !== undefined)).toBe(true);
    });

    const runStep = () => card().locator('[data-action-id^="step:"]').last();
    await step('run-step-as-operator', async () => {
      await runStep().click();
      await confirmIfAsked();
      await card().getByTestId('open-thread').click();
      const thread = page.getByTestId('thread');
      await expect
        .poll(() => thread.locator('[data-testid="message"]').allTextContents(), { timeout: 20_000 })
        .toEqual(expect.arrayContaining([expect.stringMatching(/still|above|below|quiet|threshold/i)]));
      expect(await thread.textContent()).toContain(OPERATOR_NAME);
    });

    await step('ask-the-agent', async () => {
      const thread = page.getByTestId('thread');
      await page.getByTestId('reply-input').fill('@auth0-oncall what is going on?');
      await page.getByTestId('reply-input').press('Enter');
      // No model is configured in the sandbox: the agent answers from the runbook and the evidence.
      await thread
        .locator(`[data-testid="message"][data-user="${sandbox.slack.options.botUserId}"]`)
        .filter({ hasText: /No language model is configured/ })
        .waitFor({ timeout: 20_000 });
    });

    await step('denied-as-viewer', async () => {
      await switchUser(VIEWER);
      const before = sandbox.slack.envelopes.length;
      await card().waitFor();
      await runStep().click();
      await confirmIfAsked();
      await expect
        .poll(() => page.locator('[data-testid="ephemeral"]').allTextContents(), { timeout: 15_000 })
        .toEqual(expect.arrayContaining([expect.stringMatching(/Only operators can run runbook steps/)]));
      expect(sandbox.slack.envelopes.length).toBeGreaterThan(before);
      // The operator does not see the viewer's ephemeral.
      await switchUser(OPERATOR);
      await expect
        .poll(() => page.locator('[data-testid="ephemeral"]').allTextContents())
        .not.toEqual(expect.arrayContaining([expect.stringMatching(/Only operators/)]));
    });

    await step('home-tab', async () => {
      await page.getByTestId('nav-home').click();
      const home = page.getByTestId('home');
      await expect
        .poll(() => home.locator('[data-block-type]').count(), { timeout: 15_000 })
        .toBeGreaterThan(0);
      expect(await home.textContent()).toMatch(/incident/i);
      expect(sandbox.slack.homeView(OPERATOR)).toBeDefined();
    });
  }, 180_000);

  it('rotates the billing worker’s secret from the command box through the confirmation modal', async () => {
    const billing = 'bIlLiNgWoRkEr0000000000000000001';
    const secretName = 'sandbox/acme-billing-worker';
    const before = sandbox.auth0.clients.get(billing)?.secret;
    await step('rotate-modal', async () => {
      await page.getByTestId('nav-channel').click();
      await page.getByTestId('command-input').fill(`rotate ${billing}`);
      await page.getByTestId('command-input').press('Enter');
      const modal = page.getByTestId('modal');
      await modal.waitFor({ timeout: 15_000 });
      expect(await modal.textContent()).toContain('Rotate credential?');
      await page.getByTestId('modal-submit').click();
      await modal.waitFor({ state: 'detached', timeout: 15_000 });
      await page
        .locator('[data-testid="message"]')
        .filter({ hasText: /Rotated .*is AWSCURRENT/ })
        .first()
        .waitFor({ timeout: 30_000 });
    });
    // The effects are real: Auth0 holds a new secret, and it is AWSCURRENT in Secrets Manager.
    const after = sandbox.auth0.clients.get(billing)?.secret;
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
    const stages = sandbox.secrets.stagesOf(secretName);
    const current = Object.entries(stages).find(([, labels]) => labels.includes('AWSCURRENT'))?.[0];
    expect(sandbox.secrets.versions(secretName).find((v) => v.versionId === current)?.value).toBe(after);
    expect(Object.values(stages).some((labels) => labels.includes('AWSPREVIOUS'))).toBe(true);
    // No secret reaches the page.
    expect(await page.content()).not.toContain(after ?? '<none>');
  }, 90_000);

  const OPERATOR_NAME = 'olivia';

  /** Buttons with a `confirm` object open the page's confirm dialog first, as Slack does. */
  const confirmIfAsked = async () => {
    const dialog = page.getByTestId('confirm-dialog');
    if (await dialog.isVisible().catch(() => false)) await page.getByTestId('confirm-ok').click();
  };
});
