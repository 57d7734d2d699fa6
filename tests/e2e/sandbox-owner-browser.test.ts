/**
 * Owner and paging, severity and notes in the sandbox's browser page: the built app as a child
 * process against the fakes, the fake Slack's page driven by Playwright in Debian's Chromium. Each
 * button and modal below is a real block_actions or view_submission over the app's socket.
 */
import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../sandbox/sandbox.js';
import { chromiumPath, useSandboxPage } from '../helpers/sandbox-page.js';

const OPERATOR = 'U0OPERATOR';
const VIEWER = 'U0VIEWER';

if (chromiumPath === undefined) console.warn('sandbox owner browser test SKIPPED: no Chromium.');

describe.skipIf(chromiumPath === undefined)('owner, paging, severity and notes in the sandbox page', () => {
  const context = useSandboxPage('owner');
  const step = context.step;
  let sandbox: Sandbox;
  let page: Page;
  beforeAll(() => {
    ({ sandbox, page } = context.get());
  });

  const card = (): Locator =>
    page
      .locator('#messages [data-testid="message"]')
      .filter({ has: page.locator('.block-header', { hasText: 'Failed logins' }) })
      .first();
  const button = (prefix: string) => card().locator(`[data-action-id^="${prefix}"]`).first();
  const modal = () => page.getByTestId('modal');
  const threadLine = (text: RegExp) =>
    page.getByTestId('thread').locator('[data-testid="message"]').filter({ hasText: text }).first();

  const switchUser = async (userId: string) => {
    await page.getByTestId('user-switcher').selectOption(userId);
    await expect.poll(() => new URL(page.url()).searchParams.get('user')).toBe(userId);
  };

  const submitModal = async (fill: (m: Locator) => Promise<void>) => {
    await modal().waitFor({ timeout: 15_000 });
    await fill(modal());
    await page.getByTestId('modal-submit').click();
    await modal().waitFor({ state: 'detached', timeout: 15_000 });
  };

  it('acknowledge → take over → escalate to a person → lower the severity → add a note', async () => {
    await step('open', async () => {
      await page.goto(`${sandbox.url}?user=${OPERATOR}`);
      await expect.poll(() => page.getByTestId('app-status').textContent()).toMatch(/\bconnected\b/);
      await page.getByTestId('scenario-failed-login-spike').click();
      await card().waitFor({ state: 'visible', timeout: 45_000 });
    });

    await step('acknowledge-owns', async () => {
      await button('incident:ack:').click();
      await expect.poll(() => card().textContent(), { timeout: 15_000 }).toMatch(/Owner:/);
      await button('incident-owner:takeover:').waitFor();
    });

    await step('take-over', async () => {
      await switchUser(VIEWER);
      await button('incident-owner:takeover:').click();
      await card().getByTestId('open-thread').click();
      await threadLine(/took over from/).waitFor({ timeout: 15_000 });
    });

    await step('escalate-modal', async () => {
      await button('incident:escalate:').click();
      await submitModal(async (m) => {
        await m.locator('select').first().selectOption(OPERATOR);
        await m.locator('textarea').fill('Please look at the login DB');
      });
      await threadLine(/Escalated by .* to .*Please look at the login DB/s).waitFor({ timeout: 15_000 });
    });

    await step('severity-modal', async () => {
      await switchUser(OPERATOR);
      await button('incident-severity:').click();
      await submitModal(async (m) => {
        await m.locator('select').first().selectOption('low');
      });
      await threadLine(/Severity lowered from .* to .*Low by/).waitFor({ timeout: 15_000 });
    });

    await step('note-modal', async () => {
      await button('incident-note:').click();
      await submitModal(async (m) => {
        await m.locator('textarea').fill('Blocked the office NAT by mistake; unblocked');
      });
      await threadLine(/Note from .*unblocked/s).waitFor({ timeout: 15_000 });
    });

    const submissions = sandbox.slack.envelopes.filter((e) =>
      JSON.stringify(e.payload).includes('"view_submission"'),
    );
    expect(submissions).toHaveLength(3);
    expect(sandbox.slack.limitViolations).toEqual([]);
  }, 180_000);
});
