import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { FakeSlack, SlackDriver } from '@auth0-oncall/fakes/slack';
import { CountingActions } from '../unit/core/steps/counting-catalog.js';
import { actionStep, bootStepApp, CHANNEL, openIncident, rawClick } from './steps-world.js';

/**
 * A runbook step longer than the card shows is never lost: the card's *Details* button opens a
 * modal with every step whole, for anyone in the channel; a *Full runbook* button on a card posted
 * before Details existed still opens the runbook.
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
  it('shortens a long step on the card and shows it whole in the Details modal', async () => {
    const w = await world();
    expect(LONG_BODY.length).toBeGreaterThan(240);
    expect(w.card()).not.toContain('IN THE CAA RECORD');
    expect(w.card()).toContain('…');
    expect(w.card()).toContain('incident-details:inc_full1');

    // A viewer who is not an operator may read it: reading changes nothing.
    const click = await w.driver.clickButton('U0VIEWER', {
      actionId: 'incident-details:inc_full1',
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

  it('still opens the whole runbook from the Full runbook button of a card posted before Details', async () => {
    const w = await world();
    // The new card has no such button: the click comes from an older card still in the channel.
    expect(w.card()).not.toContain('incident:runbook:');
    const ack = await rawClick(w.slack, 'U0VIEWER', {
      actionId: 'incident:runbook:inc_full1',
      messageTs: w.incident.cardTs,
    });
    expect(ack.acked).toBe(true);
    const modal = await w.slack.waitFor(() => w.slack.openModals('U0VIEWER')[0]);
    expect(JSON.stringify(modal.view.blocks)).toContain('IN THE CAA RECORD.');
    expect(w.s.audit.latest(50).filter((e) => e.action.startsWith('incident.'))).toEqual([]);
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
