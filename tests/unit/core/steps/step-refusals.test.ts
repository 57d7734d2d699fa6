import { afterEach, describe, expect, it } from 'vitest';
import { StepWorld } from './step-world.js';

let world: StepWorld;
afterEach(() => {
  world.close();
});

/** Nothing ran, nothing was claimed, the step is as it was. */
const expectNoEffect = () => {
  expect(world.actions.runs).toBe(0);
  expect(world.claimCount()).toBe(0);
  expect(world.step('verify')).toMatchObject({ state: 'pending', lastKey: null });
};

describe('who may run a step', () => {
  it('denies a non-operator, explains why, audits it and changes nothing', async () => {
    world = new StepWorld();
    const outcome = await world.runner.click({ actionId: 'step:inc-1:verify', user: 'U0VIEWER' });
    await world.runner.idle();
    expect(outcome).toEqual({ kind: 'denied', why: 'Only operators can run runbook steps.' });
    expectNoEffect();
    expect(world.auditOf('step.click')).toMatchObject([
      {
        actor: 'U0VIEWER',
        outcome: 'denied',
        incidentId: 'inc-1',
        stepId: 'verify',
        idempotencyKey: 'step:inc-1:verify',
      },
    ]);
    expect(world.metrics).toEqual(['denied']);
  });

  it('denies a non-operator even for a step that already ran, before telling anything about it', async () => {
    world = new StepWorld();
    await world.runner.click({ actionId: 'step:inc-1:verify', user: 'U0OPERATOR' });
    await world.runner.idle();
    expect((await world.runner.click({ actionId: 'step:inc-1:verify', user: 'U0VIEWER' })).kind).toBe(
      'denied',
    );
  });

  it('denies everyone when the operator directory cannot answer (fail closed)', async () => {
    world = new StepWorld();
    const runner = world.build({
      operators: { isOperator: () => Promise.reject(new Error('usergroups.users.list failed')) },
    });
    expect((await runner.click({ actionId: 'step:inc-1:verify', user: 'U0OPERATOR' })).kind).toBe('denied');
    expectNoEffect();
    expect(world.errors).toEqual(['operator lookup']);
  });
});

describe('forged and stale buttons', () => {
  const forged: Array<[string, string, string]> = [
    ['an unknown incident', 'step:inc-404:verify', 'not_found'],
    ['an unknown step', 'step:inc-1:nope', 'not_found'],
    ['another incident’s step', 'step:inc-1:other', 'not_found'],
    ['300 characters', `step:inc-1:${'v'.repeat(289)}`, 'invalid'],
    ['SQL and quotes', "step:inc-1:verify' OR '1'='1'; DROP TABLE idempotency_claims; --", 'invalid'],
    ['a double quote', 'step:inc-1:"verify"', 'invalid'],
    ['a guidance step', 'step:inc-1:read', 'invalid'],
    ['a retry of a step that did not fail', 'step:inc-1:verify:retry1', 'invalid'],
    ['retry0', 'step:inc-1:verify:retry0', 'invalid'],
    ['retry100', 'step:inc-1:verify:retry100', 'invalid'],
    ['a trailing colon', 'step:inc-1:verify:', 'invalid'],
    ['a newline', 'step:inc-1:verify\n', 'invalid'],
    ['another prefix', 'incident:ack:inc-1', 'invalid'],
    ['an empty id', 'step::verify', 'invalid'],
  ];

  it.each(forged)('rejects %s cleanly and audits it', async (_what, actionId, kind) => {
    world = new StepWorld();
    const outcome = await world.runner.click({ actionId, user: 'U0OPERATOR' });
    await world.runner.idle();
    expect(outcome.kind).toBe(kind);
    expectNoEffect();
    expect(world.step('other', 'inc-2').state).toBe('pending');
    const [row] = world.auditOf('step.click');
    expect(world.auditOf()).toHaveLength(1);
    expect(row).toMatchObject({ actor: 'U0OPERATOR', outcome: 'denied' });
    if (row?.idempotencyKey === null) expect(row.detail.actionId).toBe(actionId.slice(0, 300));
    expect(world.metrics).toEqual(['invalid']);
  });

  it('refuses a step whose parameters do not check out, are malformed, or name an action outside the catalog', async () => {
    world = new StepWorld();
    const click = (stepId: string) =>
      world.runner.click({ actionId: `step:inc-1:${stepId}`, user: 'U0OPERATOR' });
    expect(await click('unblock')).toEqual({
      kind: 'invalid',
      why: 'This step cannot run: 198.51.100.9 is not in this incident',
    });
    expect(await click('broken')).toMatchObject({
      kind: 'invalid',
      why: expect.stringContaining('parameters are not valid'),
    });
    expect(await click('uncatalogued')).toMatchObject({
      kind: 'invalid',
      why: expect.stringContaining('not in the catalog'),
    });
    await world.runner.idle();
    expect(world.actions.runs).toBe(0);
    expect(world.claimCount()).toBe(0);
    expect(world.auditOf('step.click').map((e) => e.outcome)).toEqual(['denied', 'denied', 'denied']);
  });

  it('refuses the steps of a resolved incident', async () => {
    world = new StepWorld();
    world.incidents.resolve('inc-1', 'U0OPERATOR', world.at(), 'manual');
    const outcome = await world.runner.click({ actionId: 'step:inc-1:verify', user: 'U0OPERATOR' });
    expect(outcome).toMatchObject({ kind: 'denied', why: expect.stringContaining('resolved') });
    expectNoEffect();
  });
});

describe('destructive steps', () => {
  it('asks to confirm a destructive step and runs it only once confirmed', async () => {
    world = new StepWorld();
    const key = 'step:inc-1:rollback';
    const asked = await world.runner.click({ actionId: key, user: 'U0OPERATOR' });
    expect(asked).toEqual({
      kind: 'needs_confirmation',
      key,
      title: 'Roll back to the previous secret',
      text: 'Restores AWSPREVIOUS on both sides.',
    });
    await world.runner.idle();
    expect(world.actions.runs).toBe(0);
    expect(world.claimCount()).toBe(0);

    expect((await world.runner.confirm(key, 'U0VIEWER')).kind).toBe('denied');
    const [first, second] = await Promise.all([
      world.runner.confirm(key, 'U0OPERATOR'),
      world.runner.confirm(key, 'U0SECOND'),
    ]);
    await world.runner.idle();
    expect([first.kind, second.kind].sort()).toEqual(['duplicate', 'started']);
    expect(world.actions.executions).toBe(1);
    expect(world.step('rollback').state).toBe('succeeded');
    expect(world.auditOf('step.click').map((e) => e.outcome)).toEqual(['allowed']);
    expect(
      world
        .auditOf('step.confirm')
        .map((e) => e.outcome)
        .sort(),
    ).toEqual(['confirmed', 'denied', 'duplicate']);
  });

  it('runs nothing when the confirmation is cancelled, and audits the cancellation', async () => {
    world = new StepWorld();
    await world.runner.click({ actionId: 'step:inc-1:rollback', user: 'U0OPERATOR' });
    await world.runner.cancel('step:inc-1:rollback', 'U0OPERATOR');
    await world.runner.idle();
    expect(world.actions.runs).toBe(0);
    expect(world.claimCount()).toBe(0);
    expect(world.step('rollback').state).toBe('pending');
    expect(world.auditOf('step.confirm')).toMatchObject([
      { outcome: 'cancelled', actor: 'U0OPERATOR', idempotencyKey: 'step:inc-1:rollback' },
    ]);
    expect(world.metrics).toEqual(['cancelled']);
    await world.runner.cancel(`forged'${'x'.repeat(400)}`, 'U0VIEWER');
    expect(world.auditOf('step.confirm').at(-1)?.detail.actionId).toHaveLength(300);
  });

  it('asks again for a destructive retry', async () => {
    world = new StepWorld();
    world.actions.failNext = 1;
    await world.runner.confirm('step:inc-1:rollback', 'U0OPERATOR');
    await world.runner.idle();
    const retry = await world.runner.click({ actionId: 'step:inc-1:rollback:retry1', user: 'U0OPERATOR' });
    expect(retry.kind).toBe('needs_confirmation');
    expect(world.actions.runs).toBe(1);
  });
});
