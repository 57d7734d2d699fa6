import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { checkBlockKitLimits, FakeSlack, SlackDriver, type AckResult } from '@auth0-oncall/fakes/slack';
import { CountingActions } from '../unit/core/steps/counting-catalog.js';
import {
  actionStep,
  bootStepApp,
  CHANNEL,
  closeModal,
  openIncident,
  rawClick,
  type StepApp,
} from './steps-world.js';

const dir = mkdtempSync(join(tmpdir(), 'auth0-oncall-steps-'));
const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const ROLLBACK = actionStep('rollback', {
  title: 'Roll back to the previous secret',
  action: 'rollback_client_secret',
  destructive: true,
});

const world = async () => {
  const slack = await FakeSlack.start();
  cleanup.push(() => slack.stop());
  const actions = new CountingActions();
  const dbPath = join(dir, `steps-${Math.random().toString(36).slice(2)}.db`);
  const boot = async () => {
    const s = await bootStepApp(slack, dbPath, actions);
    cleanup.push(() => s.stop());
    return s;
  };
  const s = await boot();
  const incident = await openIncident(s, 'inc_steps1', [actionStep('verify'), ROLLBACK]);
  const driver = new SlackDriver(slack, { command: '/auth0' });
  const card = () => JSON.stringify(slack.message(CHANNEL, incident.cardTs)?.blocks ?? []);
  const thread = () =>
    slack
      .threadReplies(CHANNEL, incident.cardTs)
      .filter((m) => m.ts !== incident.cardTs)
      .map((m) => m.text ?? '');
  const ephemerals = (user: string) => slack.ephemeralsFor(user).map((e) => e.text ?? '');
  const button = (actionId: string) => ({ actionId, channelId: CHANNEL, messageTs: incident.cardTs });
  return { slack, actions, dbPath, boot, s, incident, driver, card, thread, ephemerals, button };
};

const expectAckedInTime = (acks: readonly AckResult[]) => {
  for (const ack of acks) {
    expect(ack.acked).toBe(true);
    expect(ack.latencyMs).toBeLessThan(3_000);
  }
};

const settle = async (s: StepApp) => {
  // Listeners finish after their ack: wait for the runner, then for the card and thread queue.
  await s.runner.idle();
  await s.app.incidents.service.serialize(() => Promise.resolve());
};

describe('running runbook steps through the real Bolt pipeline', () => {
  it('runs a step once when two operators click it ten times at once and two envelopes are redelivered', async () => {
    const w = await world();
    const release = w.actions.blockBeforeEffect();
    const users = ['U0OPERATOR', 'U0ADMIN'];
    const clicks = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        w.driver.clickButton(users[i % 2]!, w.button('step:inc_steps1:verify')),
      ),
    );
    // Slack redelivers two of those envelopes, same payload, as if their acks were lost.
    const sent = w.slack.envelopes.filter((e) => e.type === 'interactive').slice(0, 2);
    const redelivered = await Promise.all(sent.map((e) => w.slack.sendEnvelope('interactive', e.payload)));
    expectAckedInTime([...clicks.map((c) => c.ack), ...redelivered]);
    release();
    await settle(w.s);

    expect(w.actions.executions).toBe(1);
    expect(w.s.claims.get('step:inc_steps1:verify')?.state).toBe('succeeded');
    const lines = w.thread();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/Re-check verify\* succeeded: applied to verify/);
    expect(w.card()).toContain(':white_check_mark: _succeeded_');
    expect(w.card()).not.toContain('"step:inc_steps1:verify"');
    // Every click is audited, but each operator is told once per thing to tell (a burst of clicks
    // on one button gets one reply): that it is running, and perhaps that it has run since.
    expect(await w.s.app.shutdownPlan.drain(10_000)).toBe(true);
    await w.slack.waitFor(() =>
      users.every((u) => w.ephemerals(u).some((t) => t.includes('Already'))) ? true : undefined,
    );
    for (const user of users) {
      const told = w.ephemerals(user).filter((t) => t.includes('Already'));
      expect(new Set(told).size).toBe(told.length);
      expect(told.length).toBeLessThanOrEqual(2);
    }
    const audited = w.s.audit.forIncident('inc_steps1').filter((e) => e.action === 'step.click');
    expect(audited).toHaveLength(12);
    expect(audited.filter((e) => e.outcome === 'duplicate')).toHaveLength(11);
    expect(w.slack.limitViolations).toEqual([]);
  });

  it('tells a later clicker who ran the step, when and with what result', async () => {
    const w = await world();
    await w.driver.clickButton('U0OPERATOR', w.button('step:inc_steps1:verify'));
    await settle(w.s);
    const stale = await rawClick(w.slack, 'U0ADMIN', {
      actionId: 'step:inc_steps1:verify',
      messageTs: w.incident.cardTs,
    });
    expectAckedInTime([stale]);
    const told = await w.slack.waitFor(() =>
      w.ephemerals('U0ADMIN').find((t) => t.startsWith('Already run')),
    );
    expect(told).toMatch(/^Already run by <@U0OPERATOR> <!date\^\d+\^.*>: applied to verify$/);
  });

  it('opens a confirmation modal for a destructive step and runs it once when it is submitted', async () => {
    const w = await world();
    const click = await w.driver.clickButton('U0OPERATOR', w.button('step:inc_steps1:rollback'));
    expectAckedInTime([click.ack]);
    const modal = await w.slack.waitFor(() => w.slack.openModals('U0OPERATOR')[0]);
    expect(modal.view).toMatchObject({
      callback_id: 'step_confirm',
      private_metadata: 'step:inc_steps1:rollback',
      notify_on_close: true,
    });
    expect(w.actions.runs).toBe(0);

    const submitted = await w.driver.submitView('U0OPERATOR', modal.id);
    expectAckedInTime([submitted.ack]);
    expect(submitted.outcome.kind).toBe('closed');
    // A redelivered submission finds the claim taken.
    const again = w.slack.envelopes.filter((e) => e.payload.type === 'view_submission').at(-1)!;
    expectAckedInTime([await w.slack.sendEnvelope('interactive', again.payload)]);
    await settle(w.s);
    expect(w.actions.executions).toBe(1);
    expect(w.thread()).toEqual([expect.stringMatching(/Roll back to the previous secret\* succeeded/)]);
    await w.slack.waitFor(() => w.ephemerals('U0OPERATOR').find((t) => t.includes('Already')));
    const confirms = w.s.audit.forIncident('inc_steps1').filter((e) => e.action === 'step.confirm');
    expect(confirms.map((e) => e.outcome)).toEqual(['confirmed', 'duplicate']);
  });

  it('tells the clicker when the confirmation cannot open (an expired trigger), and runs nothing', async () => {
    const w = await world();
    w.slack.failNext('views.open', 'expired_trigger_id');
    const click = await w.driver.clickButton('U0OPERATOR', w.button('step:inc_steps1:rollback'));
    expectAckedInTime([click.ack]);
    await w.slack.waitFor(() =>
      w.ephemerals('U0OPERATOR').find((t) => t.includes('could not open the confirmation')),
    );
    await settle(w.s);
    expect(w.actions.runs).toBe(0);
    expect(w.s.claims.get('step:inc_steps1:rollback')).toBeNull();
    expect(w.s.errors).toHaveLength(1);
  });

  it('runs nothing when the confirmation modal is closed, and audits the cancellation', async () => {
    const w = await world();
    await w.driver.clickButton('U0OPERATOR', w.button('step:inc_steps1:rollback'));
    const modal = await w.slack.waitFor(() => w.slack.openModals('U0OPERATOR')[0]);
    expectAckedInTime([await closeModal(w.slack, 'U0OPERATOR', modal.id)]);
    await settle(w.s);
    await w.slack.waitFor(() =>
      w.s.audit
        .forIncident('inc_steps1')
        .find((e) => e.action === 'step.confirm' && e.outcome === 'cancelled'),
    );
    expect(w.actions.runs).toBe(0);
    expect(w.s.claims.get('step:inc_steps1:rollback')).toBeNull();
    expect(w.card()).toContain('"step:inc_steps1:rollback"');
  });

  it('denies a non-operator ephemerally and runs nothing', async () => {
    const w = await world();
    const click = await w.driver.clickButton('U0VIEWER', w.button('step:inc_steps1:verify'));
    expectAckedInTime([click.ack]);
    await w.slack.waitFor(() => w.ephemerals('U0VIEWER').find((t) => t.includes('Only operators')));
    await settle(w.s);
    expect(w.actions.runs).toBe(0);
    expect(w.slack.openModals('U0VIEWER')).toEqual([]);
    expect(w.s.claims.get('step:inc_steps1:verify')).toBeNull();
  });

  it('rejects forged action_ids sent straight to the socket, and audits each', async () => {
    const w = await world();
    const forged = [
      'step:inc_other:verify',
      `step:inc_steps1:${'x'.repeat(290)}`,
      "step:inc_steps1:verify' OR 1=1 --",
      'step:inc_steps1:verify:retry1',
    ];
    const acks = await Promise.all(
      forged.map((actionId) => rawClick(w.slack, 'U0OPERATOR', { actionId, messageTs: w.incident.cardTs })),
    );
    expectAckedInTime(acks);
    await w.slack.waitFor(() => (w.ephemerals('U0OPERATOR').length === forged.length ? true : undefined));
    await settle(w.s);
    expect(w.ephemerals('U0OPERATOR').every((t) => /^:no_entry:|^:grey_question:/.test(t))).toBe(true);
    expect(w.actions.runs).toBe(0);
    const denied = w.s.audit.latest(50).filter((e) => e.action === 'step.click' && e.outcome === 'denied');
    expect(denied).toHaveLength(forged.length);
  });

  it('offers Retry after a failure and runs the retry once, however often it is clicked', async () => {
    const w = await world();
    w.actions.failNext = 1;
    await w.driver.clickButton('U0OPERATOR', w.button('step:inc_steps1:verify'));
    await settle(w.s);
    expect(w.thread()[0]).toMatch(/failed: could not apply to verify/);
    expect(w.card()).toContain('"step:inc_steps1:verify:retry1"');

    const retries = await Promise.all([
      w.driver.clickButton('U0OPERATOR', w.button('step:inc_steps1:verify:retry1')),
      w.driver.clickButton('U0ADMIN', w.button('step:inc_steps1:verify:retry1')),
    ]);
    expectAckedInTime(retries.map((r) => r.ack));
    await settle(w.s);
    expect(w.actions.runs).toBe(2);
    expect(w.actions.executions).toBe(1);
    expect(w.card()).toContain(':white_check_mark: _succeeded_');
    // A read-only check offers Run again (a new key), never the spent retry key.
    expect(w.card()).not.toContain('"step:inc_steps1:verify:retry1"');
    expect(w.card()).toContain('"step:inc_steps1:verify:retry2"');
    expect(w.card()).toContain('Run again');
    const metrics = await w.s.app.metrics.registry.getSingleMetricAsString('auth0oncall_step_runs_total');
    expect(metrics).toContain('outcome="success"} 1');
    expect(metrics).toContain('outcome="failure"} 1');
    expect(metrics).toContain('outcome="duplicate"} 1');
    expect(metrics).toContain('outcome="cancelled"} 0');
  });

  it('settles a run cut short by a restart through recover, posts its result and never runs it twice', async () => {
    const w = await world();
    w.actions.hangBeforeEffect(); // the process dies mid-run
    await w.driver.clickButton('U0OPERATOR', w.button('step:inc_steps1:verify'));
    await w.slack.waitFor(() => (w.actions.runs === 1 ? true : undefined));
    await w.s.stop();
    w.actions.restarted();

    const restarted = await w.boot();
    await settle(restarted);
    expect(w.actions.recoveries).toBe(1);
    expect(w.actions.runs).toBe(1);
    expect(w.actions.executions).toBe(0);
    expect(restarted.incidents.getStep('inc_steps1', 'verify')?.state).toBe('failed');
    expect(w.thread().at(-1)).toMatch(/settled after a restart/);
    expect(w.card()).toContain('"step:inc_steps1:verify:retry1"');
    await w.driver.clickButton('U0ADMIN', w.button('step:inc_steps1:verify:retry1'));
    await settle(restarted);
    expect(w.actions.executions).toBe(1);
    for (const m of w.slack.channelMessages(CHANNEL))
      expect(checkBlockKitLimits(m.blocks ?? [], { surface: 'message' })).toEqual([]);
  });
});
