/**
 * Snooze in the sandbox, in a real browser: the built app as a child process against the fakes,
 * and the fake Slack's page driven by Playwright in Debian's Chromium. Picking an option in the
 * card's snooze menu is a real `block_actions` envelope (a static_select with its selected_option)
 * over the app's Socket Mode connection.
 */
import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../sandbox/sandbox.js';
import { chromiumPath, useSandboxPage } from '../helpers/sandbox-page.js';

const VIEWER = 'U0VIEWER';

if (chromiumPath === undefined)
  console.warn(
    'sandbox snooze browser test SKIPPED: no Chromium. Install it with `apt-get install -y chromium`.',
  );

describe.skipIf(chromiumPath === undefined)('snoozing a card in the sandbox page', () => {
  const context = useSandboxPage('snooze');
  const step = context.step;
  let sandbox: Sandbox;
  let page: Page;
  beforeAll(() => {
    ({ sandbox, page } = context.get());
  });

  const card = (): Locator =>
    page
      .locator('[data-testid="message"]')
      .filter({ has: page.locator('.block-header', { hasText: 'Failed logins' }) })
      .first();
  const menu = (): Locator => card().locator('select[data-action-id^="incident-snooze:"]');

  it('snoozes a card from its menu, shows who snoozed it until when, and wakes it', async () => {
    await step('open', async () => {
      await page.goto(`${sandbox.url}?user=${VIEWER}`);
      await expect.poll(() => page.getByTestId('app-status').textContent()).toMatch(/\bconnected\b/);
      await page.getByTestId('scenario-failed-login-spike').click();
      await card().waitFor({ state: 'visible', timeout: 45_000 });
      // The scenario's spike climbs to High within a minute; snoozing before then would (rightly)
      // be woken by the rise, which the integration tests cover.
      await expect.poll(() => card().textContent(), { timeout: 90_000 }).toMatch(/High {2}·/);
      await menu().waitFor({ state: 'visible', timeout: 15_000 });
      expect(await menu().locator('option').allTextContents()).toEqual([
        'Snooze',
        'Snooze 1 hour',
        'Snooze 4 hours',
        'Until tomorrow 09:00',
      ]);
    });

    await step('snooze', async () => {
      await menu().selectOption('1h');
      await expect
        .poll(() => card().textContent(), { timeout: 15_000 })
        .toMatch(/Snoozed by .+ until .+no reminders/);
      const clicks = sandbox.slack.envelopes.filter((e) => e.type === 'interactive');
      expect(JSON.stringify(clicks.map((e) => e.payload))).toMatch(
        /"type":"static_select","action_id":"incident-snooze:[^"]+","block_id":"[^"]+","selected_option":\{"text":\{"type":"plain_text","text":"Snooze 1 hour"\},"value":"1h"\}/,
      );
      await card().getByTestId('open-thread').click();
      await expect
        .poll(() => page.getByTestId('thread').textContent(), { timeout: 15_000 })
        .toMatch(/Snoozed by .+ until .+no reminders until then/);
    });

    await step('wake', async () => {
      await expect.poll(() => menu().locator('option').allTextContents()).toContain('Wake now');
      await menu().selectOption('wake');
      await expect.poll(() => card().textContent(), { timeout: 15_000 }).not.toMatch(/Snoozed by/);
      await expect
        .poll(() => page.getByTestId('thread').textContent(), { timeout: 15_000 })
        .toMatch(/Woken by .+reminders are back on/);
    });
  }, 240_000);
});
