/**
 * The compact incident card in a real browser: the built app as a child process against the
 * fakes, the fake Slack's page driven by Playwright in Debian's Chromium. The card shows since
 * when the signal failed and its last hour; Details (a real block_actions click) opens the whole
 * evidence and runbook; the Auth0 logs link points at the tenant's log search.
 */
import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../sandbox/sandbox.js';
import { chromiumPath, useSandboxPage } from '../helpers/sandbox-page.js';

if (chromiumPath === undefined)
  console.warn(
    'sandbox card browser test SKIPPED: no Chromium. Install it with `apt-get install -y chromium`.',
  );

describe.skipIf(chromiumPath === undefined)('the incident card in a browser', () => {
  const context = useSandboxPage('card', { seed: 7, height: 1400 });
  let sandbox: Sandbox;
  let page: Page;
  beforeAll(() => {
    ({ sandbox, page } = context.get());
  });

  const card = (): Locator =>
    page
      .locator('[data-testid="message"]')
      .filter({ has: page.locator('.block-header', { hasText: 'M2M token failures' }) })
      .filter({ has: page.locator('[data-action-id^="step:"]') })
      .first();

  it('shows the onset and the last hour, opens Details, and links to the Auth0 log search', async () => {
    await page.goto(`${sandbox.url}?user=U0VIEWER`);
    await page.getByTestId('scenario-m2m-secret-broken').click();
    await card().waitFor({ timeout: 60_000 });
    const text = (await card().textContent()) ?? '';
    expect(text).toMatch(/Since \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    expect(text).toMatch(/[▁▂▃▄▅▆▇█]{12} last hour/);
    expect(text).toContain('Next step');

    const link = card().locator('[data-action-id^="incident-link:"]');
    const href = new URL((await link.getAttribute('href')) ?? 'about:blank');
    expect(`${href.origin}${href.pathname}`).toBe('https://manage.auth0.com/dashboard/eu/acme-sandbox/logs');
    expect(href.searchParams.get('q')).toContain('client_id:"bIlLiNgWoRkEr0000000000000000001"');

    const before = sandbox.slack.envelopes.length;
    await card().locator('[data-action-id^="incident-details:"]').click();
    const modal = page.getByTestId('modal');
    await modal.waitFor({ timeout: 15_000 });
    const details = (await modal.textContent()) ?? '';
    expect(details).toContain('Incident details');
    expect(details).toContain('Failures in window');
    expect(details).toContain('Auth0 log search');
    expect(details).toContain('roll back to the previous secret');
    expect(
      sandbox.slack.envelopes
        .slice(before)
        .some((e) => JSON.stringify(e.payload).includes('"action_id":"incident-details:')),
    ).toBe(true);
  }, 120_000);
});
