/**
 * The resolve summary and the postmortem file in the sandbox page: a real browser (Debian's
 * Chromium) drives the fake Slack's page while the built app runs as a child process. Resolving
 * the card by a click posts the summary in its thread; `/auth0 postmortem <id>` shares a Markdown
 * file there, which the page shows with its text.
 */
import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../sandbox/sandbox.js';
import { chromiumPath, useSandboxPage } from '../helpers/sandbox-page.js';

const OPERATOR = 'U0OPERATOR';

if (chromiumPath === undefined)
  console.warn('sandbox summary browser test SKIPPED: no Chromium (apt-get install -y chromium).');

describe.skipIf(chromiumPath === undefined)('the resolve summary in the sandbox page', () => {
  const context = useSandboxPage('summary');
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

  it('scenario → card → Resolve click → summary in the thread → /auth0 postmortem → the file in the thread', async () => {
    let incidentId = '';
    await step('open', async () => {
      await page.goto(`${sandbox.url}?user=${OPERATOR}`);
      await expect.poll(() => page.getByTestId('app-status').textContent()).toMatch(/\bconnected\b/);
      await page.getByTestId('scenario-failed-login-spike').click();
      await card().waitFor({ state: 'visible', timeout: 45_000 });
      incidentId = /incident\s+(inc_[a-z0-9]+)/.exec((await card().textContent()) ?? '')?.[1] ?? '';
      expect(incidentId).toMatch(/^inc_/);
    });

    await step('resolve', async () => {
      await card().locator('[data-action-id^="incident:resolve:"]').click();
      // Resolve may ask for confirmation first, as Slack's confirm dialog does.
      const dialog = page.getByTestId('confirm-dialog');
      await dialog.waitFor({ state: 'visible', timeout: 2_000 }).catch(() => undefined);
      if (await dialog.isVisible()) await page.getByTestId('confirm-ok').click();
      await card().getByTestId('open-thread').click({ timeout: 20_000 });
      const thread = page.getByTestId('thread');
      const summary = thread.locator('[data-testid="message"]').filter({ hasText: /Summary:/ });
      await summary.waitFor({ timeout: 20_000 });
      const text = (await summary.textContent()) ?? '';
      expect(text).toMatch(/Onset:/);
      expect(text).toMatch(/Detected:/);
      expect(text).toMatch(/Acknowledged:\s*never/);
      expect(text).toMatch(/Time to resolve:/);
      // Slack date tokens are rendered as dates, not shown raw.
      expect(text).not.toContain('<!date^');
      expect(await summary.count()).toBe(1);
    });

    await step('postmortem', async () => {
      await page.getByTestId('command-input').fill(`postmortem ${incidentId}`);
      await page.getByTestId('command-input').press('Enter');
      const file = page.getByTestId('thread').locator('[data-testid="file"]');
      await file.waitFor({ timeout: 30_000 });
      expect(await file.getAttribute('data-file-name')).toBe(`postmortem-${incidentId}.md`);
      await file.getByTestId('file-view').click();
      const text = (await file.getByTestId('file-text').textContent()) ?? '';
      expect(text).toContain('# Postmortem: ');
      expect(text).toContain('## Timeline (UTC)');
      expect(text).toContain('## Impact');
      expect(text).toMatch(/login failure: \d+/);
    });
  }, 180_000);
});
