import { afterEach, describe, expect, it } from 'vitest';
import { createBackgroundTasks } from '../../../../src/core/background/tasks.js';
import type { ClickOutcome } from '../../../../src/core/steps/step-runner.js';
import { CARD_TS, StepWorld } from './step-world.js';

let world: StepWorld;
afterEach(() => {
  world.close();
});

const kinds = (outcomes: readonly ClickOutcome[]) => outcomes.map((o) => o.kind);

describe('running a step on a click', () => {
  it('runs a step once when two operators click it ten times at once and Slack redelivers two clicks', async () => {
    world = new StepWorld();
    const release = world.actions.blockBeforeEffect();
    const click = (user: string) => world.runner.click({ actionId: 'step:inc-1:verify', user });
    const clicks = Array.from({ length: 10 }, (_, i) => click(i % 2 === 0 ? 'U0OPERATOR' : 'U0SECOND'));
    // A redelivery is the very same payload again, arriving while the first ones are in flight.
    const redelivered = [click('U0OPERATOR'), click('U0SECOND')];
    const outcomes = await Promise.all([...clicks, ...redelivered]);
    release();
    await world.runner.idle();

    expect(world.count(kinds(outcomes), 'started')).toBe(1);
    expect(world.count(kinds(outcomes), 'duplicate')).toBe(11);
    expect(world.actions.executions).toBe(1);
    expect(world.actions.runs).toBe(1);
    expect(world.claimCount()).toBe(1);
    expect(world.claims.get('step:inc-1:verify')).toMatchObject({
      state: 'succeeded',
      resultSummary: 'applied to signal',
    });
    expect(world.step('verify')).toMatchObject({ state: 'succeeded', lastKey: 'step:inc-1:verify' });
    const clicksAudited = world.auditOf('step.click').map((e) => e.outcome);
    expect(clicksAudited).toHaveLength(12);
    expect(world.count(clicksAudited, 'started')).toBe(1);
    expect(world.count(clicksAudited, 'duplicate')).toBe(11);
    expect(world.auditOf('step.run')).toMatchObject([
      {
        outcome: 'success',
        incidentId: 'inc-1',
        stepId: 'verify',
        idempotencyKey: 'step:inc-1:verify',
        durationMs: 0,
      },
    ]);
    expect(world.count(world.metrics, 'success')).toBe(1);
    expect(world.count(world.metrics, 'duplicate')).toBe(11);
  });

  it('tells a later clicker who ran the step, when, and with what result', async () => {
    world = new StepWorld();
    await world.runner.click({ actionId: 'step:inc-1:verify', user: 'U0OPERATOR' });
    await world.runner.idle();
    world.advance(60_000);
    const later = await world.runner.click({ actionId: 'step:inc-1:verify', user: 'U0SECOND' });
    expect(later).toEqual({
      kind: 'duplicate',
      key: 'step:inc-1:verify',
      by: 'U0OPERATOR',
      at: '2026-03-02T09:00:00.000Z',
      state: 'succeeded',
      result: 'applied to signal',
    });
  });

  it('says a step is still running to whoever clicks while it runs', async () => {
    world = new StepWorld();
    const release = world.actions.blockBeforeEffect();
    await world.runner.click({ actionId: 'step:inc-1:verify', user: 'U0OPERATOR' });
    const during = await world.runner.click({ actionId: 'step:inc-1:verify', user: 'U0SECOND' });
    expect(during).toMatchObject({ kind: 'duplicate', by: 'U0OPERATOR', state: 'running', result: null });
    expect(world.step('verify').state).toBe('running');
    release();
    await world.runner.idle();
  });

  it('returns from the click before the action starts, and reports the result in the thread and on the card', async () => {
    world = new StepWorld();
    const outcome = await world.runner.click({ actionId: 'step:inc-1:verify', user: 'U0OPERATOR' });
    expect(outcome).toEqual({ kind: 'started', key: 'step:inc-1:verify', title: 'Re-check the signal' });
    expect(world.actions.runs).toBe(0);
    await world.runner.idle();
    expect(world.actions.runs).toBe(1);
    const lines = world.chat.thread(CARD_TS);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/Re-check the signal\* succeeded: applied to signal — run by <@U0OPERATOR>/);
    expect(world.chat.lastCard()).toContain(':white_check_mark: _succeeded_');
    expect(world.chat.lastCard()).not.toContain('step:inc-1:verify"');
    const timeline = world.incidents.timeline('inc-1').map((e) => e.kind);
    expect(timeline).toEqual(expect.arrayContaining(['step_started', 'step_succeeded']));
  });
});

describe('shutting down during a run', () => {
  it('counts a run as in flight until its result is recorded, so shutdown can wait for it', async () => {
    world = new StepWorld();
    const inflight = createBackgroundTasks();
    const runner = world.build({ inflight });
    const release = world.actions.blockBeforeEffect();
    await runner.click({ actionId: 'step:inc-1:verify', user: 'U0OPERATOR' });
    expect(inflight.count).toBeGreaterThan(0);
    expect(await inflight.drain(20)).toBe(false);
    release();
    expect(await inflight.drain(5_000)).toBe(true);
    expect(world.claims.get('step:inc-1:verify')?.state).toBe('succeeded');
    expect(world.chat.thread(CARD_TS)).toHaveLength(1);
  });
});

describe('retrying a failed step', () => {
  it('retries a failed step once under a new key, and the old key stays a duplicate', async () => {
    world = new StepWorld();
    world.actions.failNext = 1;
    await world.runner.click({ actionId: 'step:inc-1:verify', user: 'U0OPERATOR' });
    await world.runner.idle();
    expect(world.step('verify')).toMatchObject({ state: 'failed', lastKey: 'step:inc-1:verify' });
    expect(world.chat.thread(CARD_TS)[0]).toMatch(/failed: could not apply to signal.*Retry/);
    expect(world.chat.lastCard()).toContain('step:inc-1:verify:retry1');
    // Only the next key after the failed one: a key that skips ahead is forged.
    expect(
      (await world.runner.click({ actionId: 'step:inc-1:verify:retry2', user: 'U0OPERATOR' })).kind,
    ).toBe('invalid');

    const retry = (user: string) => world.runner.click({ actionId: 'step:inc-1:verify:retry1', user });
    const outcomes = await Promise.all([retry('U0OPERATOR'), retry('U0SECOND'), retry('U0OPERATOR')]);
    await world.runner.idle();
    expect(kinds(outcomes).sort()).toEqual(['duplicate', 'duplicate', 'started']);
    expect(world.actions.runs).toBe(2);
    expect(world.actions.executions).toBe(1);
    expect(world.step('verify')).toMatchObject({ state: 'succeeded', lastKey: 'step:inc-1:verify:retry1' });

    const old = await world.runner.click({ actionId: 'step:inc-1:verify', user: 'U0SECOND' });
    expect(old).toMatchObject({
      kind: 'duplicate',
      state: 'failed',
      result: expect.stringContaining('could not apply'),
    });
    // Skipping a key ahead is still forged.
    const skipped = await world.runner.click({ actionId: 'step:inc-1:verify:retry3', user: 'U0SECOND' });
    expect(skipped.kind).toBe('invalid');
    await world.runner.idle();
    expect(world.actions.runs).toBe(2);
  });

  it('runs a succeeded read-only check again under the next key, once per key', async () => {
    world = new StepWorld();
    await world.runner.click({ actionId: 'step:inc-1:verify', user: 'U0OPERATOR' });
    await world.runner.idle();
    expect(world.step('verify')).toMatchObject({ state: 'succeeded', lastKey: 'step:inc-1:verify' });
    expect(world.chat.lastCard()).toContain('"step:inc-1:verify:retry1"');
    expect(world.chat.lastCard()).toContain('Run again');

    const again = (user: string) => world.runner.click({ actionId: 'step:inc-1:verify:retry1', user });
    const outcomes = await Promise.all([again('U0OPERATOR'), again('U0SECOND')]);
    await world.runner.idle();
    expect(kinds(outcomes).sort()).toEqual(['duplicate', 'started']);
    expect(world.actions.executions).toBe(2);
    expect(world.step('verify')).toMatchObject({ state: 'succeeded', lastKey: 'step:inc-1:verify:retry1' });
    expect((await world.runner.click({ actionId: 'step:inc-1:verify', user: 'U0OPERATOR' })).kind).toBe(
      'duplicate',
    );
    expect((await again('U0OPERATOR')).kind).toBe('duplicate');
    // A viewer is refused before anything about the step is read.
    expect((await world.runner.click({ actionId: 'step:inc-1:verify:retry2', user: 'U0VIEWER' })).kind).toBe(
      'denied',
    );
    await world.runner.idle();
    expect(world.actions.executions).toBe(2);
  });

  it('never runs a succeeded change to the tenant again, and offers no button for it', async () => {
    world = new StepWorld();
    await world.runner.confirm('step:inc-1:rollback', 'U0OPERATOR');
    await world.runner.idle();
    expect(world.step('rollback')).toMatchObject({ state: 'succeeded', lastKey: 'step:inc-1:rollback' });
    expect(world.chat.lastCard()).not.toContain('step:inc-1:rollback:retry1');
    const forged = await world.runner.click({ actionId: 'step:inc-1:rollback:retry1', user: 'U0OPERATOR' });
    expect(forged).toMatchObject({ kind: 'invalid' });
    const confirmed = await world.runner.confirm('step:inc-1:rollback:retry1', 'U0OPERATOR');
    expect(confirmed.kind).toBe('invalid');
    await world.runner.idle();
    expect(world.actions.executions).toBe(1);
  });

  it('keeps an older retry key from re-running a step after a later retry', async () => {
    world = new StepWorld();
    world.actions.failNext = 2;
    for (const key of ['step:inc-1:verify', 'step:inc-1:verify:retry1', 'step:inc-1:verify:retry2']) {
      expect((await world.runner.click({ actionId: key, user: 'U0OPERATOR' })).kind).toBe('started');
      await world.runner.idle();
    }
    expect(world.actions.executions).toBe(1);
    for (const key of ['step:inc-1:verify:retry1', 'step:inc-1:verify:retry2']) {
      expect((await world.runner.click({ actionId: key, user: 'U0OPERATOR' })).kind).toBe('duplicate');
    }
    expect(
      (await world.runner.click({ actionId: 'step:inc-1:verify:retry4', user: 'U0OPERATOR' })).kind,
    ).toBe('invalid');
    await world.runner.idle();
    expect(world.actions.runs).toBe(3);
  });

  it('records a throwing action as a failed run that can be retried', async () => {
    world = new StepWorld();
    world.actions.throwNext = 1;
    await world.runner.click({ actionId: 'step:inc-1:verify', user: 'U0OPERATOR' });
    await world.runner.idle();
    expect(world.claims.get('step:inc-1:verify')).toMatchObject({
      state: 'failed',
      resultSummary: 'failed: the tenant answered 503',
    });
    expect(world.auditOf('step.run')).toMatchObject([{ outcome: 'failure' }]);
    expect(world.metrics).toEqual(['failure']);
    expect(
      (await world.runner.click({ actionId: 'step:inc-1:verify:retry1', user: 'U0OPERATOR' })).kind,
    ).toBe('started');
    await world.runner.idle();
    expect(world.actions.executions).toBe(1);
  });
});

describe('a restart in the middle of a run', () => {
  it('settles a run that a crash interrupted before its effect through recover, without running it again', async () => {
    world = new StepWorld();
    world.actions.hangBeforeEffect(); // the process dies here: the run never returns
    expect((await world.runner.click({ actionId: 'step:inc-1:verify', user: 'U0OPERATOR' })).kind).toBe(
      'started',
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(world.claims.listRunning().map((c) => c.key)).toEqual(['step:inc-1:verify']);

    const restarted = world.build();
    expect(await restarted.recoverRunning()).toBe(1);
    await restarted.idle();
    expect(world.actions.recoveries).toBe(1);
    expect(world.actions.runs).toBe(1);
    expect(world.actions.executions).toBe(0);
    expect(world.claims.get('step:inc-1:verify')).toMatchObject({ state: 'failed' });
    expect(world.step('verify')).toMatchObject({ state: 'failed', lastKey: 'step:inc-1:verify' });
    expect(world.auditOf('step.recover')).toMatchObject([{ outcome: 'failure', actor: 'U0OPERATOR' }]);
    expect(world.chat.thread(CARD_TS).at(-1)).toMatch(/settled after a restart/);
    expect((await restarted.click({ actionId: 'step:inc-1:verify', user: 'U0SECOND' })).kind).toBe(
      'duplicate',
    );
    expect(await restarted.recoverRunning()).toBe(0);
  });

  it('reports a run whose effect landed before the crash as succeeded, without applying it twice', async () => {
    world = new StepWorld();
    world.actions.hangAfterEffect();
    await world.runner.click({ actionId: 'step:inc-1:verify', user: 'U0OPERATOR' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(world.actions.executions).toBe(1);

    const restarted = world.build();
    expect(await restarted.recoverRunning()).toBe(1);
    await restarted.idle();
    expect(world.actions.executions).toBe(1);
    expect(world.step('verify')).toMatchObject({ state: 'succeeded' });
    expect(world.claims.get('step:inc-1:verify')?.resultSummary).toMatch(/found applied/);
  });

  it('settles a claim taken just before a crash, while the step was still pending', async () => {
    world = new StepWorld();
    world.claims.claim({ key: 'step:inc-1:verify', scope: 'step', actor: 'U0OPERATOR', at: world.at() });
    world.claims.claim({
      key: 'rotation:billing:2026-03-02',
      scope: 'rotation',
      actor: 'system',
      at: world.at(),
    });
    expect(await world.runner.recoverRunning()).toBe(1);
    await world.runner.idle();
    expect(world.actions.runs).toBe(0);
    expect(world.step('verify')).toMatchObject({ state: 'failed', lastKey: 'step:inc-1:verify' });
    expect(world.claims.get('rotation:billing:2026-03-02')?.state).toBe('running');
  });

  it('settles a Run again claim taken just before a crash, from the succeeded state it found', async () => {
    world = new StepWorld();
    await world.runner.click({ actionId: 'step:inc-1:verify', user: 'U0OPERATOR' });
    await world.runner.idle();
    world.claims.claim({
      key: 'step:inc-1:verify:retry1',
      scope: 'step',
      actor: 'U0OPERATOR',
      at: world.at(),
    });
    expect(await world.runner.recoverRunning()).toBe(1);
    await world.runner.idle();
    // Settled through the action's recover (nothing runs twice), under the new key.
    expect(world.actions.executions).toBe(1);
    expect(world.actions.recoveries).toBe(1);
    expect(world.step('verify').lastKey).toBe('step:inc-1:verify:retry1');
    expect(world.claims.listRunning()).toEqual([]);
  });

  it('closes a crashed claim whose step no longer exists, or whose key is not a step key', async () => {
    world = new StepWorld();
    world.claims.claim({ key: 'step:inc-9:gone', scope: 'step', actor: 'U0OPERATOR', at: world.at() });
    world.claims.claim({ key: 'step:not a key', scope: 'step', actor: 'U0OPERATOR', at: world.at() });
    expect(await world.runner.recoverRunning()).toBe(2);
    expect(world.claims.listRunning()).toEqual([]);
    expect(world.claims.get('step:inc-9:gone')?.resultSummary).toMatch(/no longer exists/);
    expect(world.auditOf('step.recover').map((e) => e.outcome)).toEqual(['failure', 'failure']);
    expect(world.actions.recoveries).toBe(0);
  });
});
