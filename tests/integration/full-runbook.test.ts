import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { FakeSlack, SlackDriver } from '@auth0-oncall/fakes/slack';
import { CountingActions } from '../unit/core/steps/counting-catalog.js';
import { actionStep, bootStepApp, CHANNEL, openIncident, rawClick } from './steps-world.js';

/**
 * A runbook step longer than the card shows is never lost: the card marks it shortened and its
 * *Full runbook* button opens a modal with every step whole, for anyone in the channel.
 */

const dir = mkdtempSync(join(tmpdir(), 'auth0-oncall-full-runbook-'));
const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const LONG_BODY =
  'Auth0 renews it by itself only while the CNAME record points to the target shown in the Dashboard. ' +
  'Check it with dig. If the record was changed or removed, or CAA records do not allow the certificate ' +
  'authority Auth0 uses, fix DNS; Auth0 retries the renewal on its own. The end of this step matters: ' +
  'ALLOW letsencrypt.org AND google.com IN THE CAA RECORD.';

const world = async (steps = [actionStep('verify', { body: LONG_BODY }), actionStep('recheck')]) => {
  const slack = await FakeSlack.start();
  cleanup.push(() => slack.stop());
  const s = await bootStepApp(
    slack,
    join(dir, `full-${Math.random().toString(36).slice(2)}.db`),
    new CountingActions(),
  );
  cleanup.push(() => s.stop());
  const incident = await openIncident(s, 'inc_full1', steps);
  const card = () => JSON.stringify(slack.message(CHANNEL, incident.cardTs)?.blocks ?? []);
  return { slack, s, incident, card, driver: new SlackDriver(slack, { command: '/auth0' }) };
};

describe('the full runbook', () => {
  it('shortens a long step on the card, says so, and shows it whole in a modal', async () => {
    const w = await world();
    expect(LONG_BODY.length).toBeGreaterThan(240);
    expect(w.card()).not.toContain('IN THE CAA RECORD');
    expect(w.card()).toContain('Long steps are shortened');
    expect(w.card()).toContain('incident:runbook:inc_full1');

    // A viewer who is not an operator may read it: reading changes nothing.
    const click = await w.driver.clickButton('U0VIEWER', {
      actionId: 'incident:runbook:inc_full1',
      channelId: CHANNEL,
      messageTs: w.incident.cardTs,
    });
    expect(click.ack.acked).toBe(true);
    const modal = await w.slack.waitFor(() => w.slack.openModals('U0VIEWER')[0]);
    const text = JSON.stringify(modal.view.blocks);
    expect(text).toContain('ALLOW letsencrypt.org AND google.com IN THE CAA RECORD.');
    expect(text).toContain('2. Re-check recheck');
    expect(w.slack.limitViolations).toEqual([]);
    expect(w.s.audit.latest(50).filter((e) => e.action.startsWith('incident.'))).toEqual([]);
  });

  it('offers no button when every step fits the card', async () => {
    const w = await world([actionStep('verify'), actionStep('recheck')]);
    expect(w.card()).not.toContain('incident:runbook:');
    expect(w.card()).not.toContain('shortened');
  });

  it('answers a click for an incident that does not exist without opening anything', async () => {
    const w = await world();
    const ack = await rawClick(w.slack, 'U0VIEWER', {
      actionId: 'incident:runbook:inc_gone',
      messageTs: w.incident.cardTs,
    });
    expect(ack.acked).toBe(true);
    const told = await w.slack.waitFor(() =>
      w.slack.ephemeralsFor('U0VIEWER').find((e) => (e.text ?? '').includes('no longer exists')),
    );
    expect(told).toBeDefined();
    expect(w.slack.openModals('U0VIEWER')).toEqual([]);
  });
});
