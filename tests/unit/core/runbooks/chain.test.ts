import { describe, expect, it } from 'vitest';
import { goodRunbookInput, injectionFollowingInput, wrongShapeInputs } from '@auth0-oncall/fakes/llm';
import { createRunbookChain, type RunbookChainOptions } from '../../../../src/core/runbooks/chain.js';
import type { RunbookProviderName, RunbookWriter } from '../../../../src/core/runbooks/model.js';
import { AppError } from '../../../../src/errors.js';
import { BuiltinRunbookWriter } from '../../../../src/llm/builtin/builtin-runbook-writer.js';
import { OFFICE_IP, requestFor, SCOPED_CLIENT } from '../../llm/fixtures.js';
import { createTestCatalog } from '../../llm/test-catalog.js';

/** A hand-written writer whose answer is a function of its signal; it records its calls. */
const writerFn = (
  name: RunbookProviderName,
  answer: (signal: AbortSignal) => Promise<unknown>,
): RunbookWriter & { calls: number; lastSignal?: AbortSignal } => {
  const w: RunbookWriter & { calls: number; lastSignal?: AbortSignal } = {
    name,
    calls: 0,
    write(_request, signal) {
      w.calls += 1;
      w.lastSignal = signal;
      return answer(signal);
    },
  };
  return w;
};
const writer = (name: RunbookProviderName, output: unknown) => writerFn(name, () => Promise.resolve(output));
const failing = (name: RunbookProviderName, error: Error) => writerFn(name, () => Promise.reject(error));
const never = (name: RunbookProviderName) => writerFn(name, () => new Promise<never>(() => undefined));

const setup = (writers: RunbookWriter[], overrides: Partial<RunbookChainOptions> = {}) => {
  const { catalog, runs } = createTestCatalog();
  const dropped: string[] = [];
  const fallbacks: [RunbookProviderName, string][] = [];
  const chain = createRunbookChain({
    writers,
    catalog,
    timeoutMs: 200,
    now: () => new Date('2025-03-01T10:00:00.000Z'),
    onDropped: (reason) => dropped.push(reason),
    onFallback: (name, reason) => fallbacks.push([name, reason]),
    ...overrides,
  });
  const { request, incident } = requestFor();
  const write = (signal?: AbortSignal) =>
    chain.write(request, { incident, evidence: request.evidence, ...(signal ? { signal } : {}) });
  return { write, dropped, fallbacks, runs };
};

describe('createRunbookChain', () => {
  it('takes the first writer whose runbook is valid and says which provider wrote it', async () => {
    const bedrock = writer('bedrock', goodRunbookInput(SCOPED_CLIENT));
    const anthropic = writer('anthropic', goodRunbookInput(SCOPED_CLIENT));
    const { write, fallbacks, runs } = setup([bedrock, anthropic, new BuiltinRunbookWriter()]);

    const runbook = await write();

    expect(runbook.provider).toBe('bedrock');
    expect(runbook.dropped).toBe(0);
    expect(runbook.steps).toEqual(goodRunbookInput(SCOPED_CLIENT).steps);
    expect(anthropic.calls).toBe(0);
    expect(fallbacks).toEqual([]);
    expect(runs()).toBe(0);
  });

  it('falls back in order when a writer throws, and reports why', async () => {
    const bedrock = failing(
      'bedrock',
      new AppError('rate_limited', 'llm bedrock.converse failed: rate limited'),
    );
    const anthropic = failing('anthropic', new Error('socket hang up'));
    const { write, fallbacks } = setup([bedrock, anthropic, new BuiltinRunbookWriter()]);

    const runbook = await write();

    expect(runbook.provider).toBe('builtin');
    expect(fallbacks).toEqual([
      ['bedrock', 'rate_limited: llm bedrock.converse failed: rate limited'],
      ['anthropic', 'unexpected Error'],
    ]);
  });

  it('abandons a writer at its deadline, aborting its signal, and moves on', async () => {
    const slow = never('bedrock');
    const anthropic = writer('anthropic', goodRunbookInput(SCOPED_CLIENT));
    const { write, fallbacks } = setup([slow, anthropic], { timeoutMs: 50 });

    const runbook = await write();

    expect(runbook.provider).toBe('anthropic');
    expect(slow.lastSignal?.aborted).toBe(true);
    expect(fallbacks[0]?.[1]).toMatch(/^timeout: the bedrock runbook writer took longer than 50 ms/);
  });

  it.each(wrongShapeInputs.map((input) => [JSON.stringify(input).slice(0, 60), input]))(
    'treats output that is not a runbook as a failure: %s',
    async (_label, input) => {
      const { write, fallbacks } = setup([writer('bedrock', input), new BuiltinRunbookWriter()]);
      const runbook = await write();
      expect(runbook.provider).toBe('builtin');
      expect(fallbacks[0]?.[0]).toBe('bedrock');
      expect(fallbacks[0]?.[1]).toMatch(/^invalid_input: bedrock: /);
    },
  );

  it('drops actions outside the catalog, with parameters that do not bind, or that fail their check', async () => {
    const injected = injectionFollowingInput({
      scopedClientId: SCOPED_CLIENT,
      evilIp: '6.6.6.6',
      evilClientId: 'EvilClient999',
    });
    const steps = [
      ...injected.steps,
      {
        kind: 'action',
        title: 'Unblock garbage',
        body: '',
        action: 'unblock_ip',
        params: { ip: 'not-an-ip' },
      },
      {
        kind: 'action',
        title: 'Unblock the office',
        body: '',
        action: 'unblock_ip',
        params: { ip: OFFICE_IP },
      },
    ];
    const { write, dropped } = setup([writer('bedrock', { steps })]);

    const runbook = await write();

    expect(runbook.provider).toBe('bedrock');
    expect(runbook.dropped).toBe(4);
    expect(dropped).toEqual([
      'step 2 proposes revoke_all_keys, which is not in the catalog',
      'step 3 (unblock_ip): ip must be in evidence.topIps or singleSourceIp',
      "step 4 (rollback_client_secret): clientId must be the incident's client scope",
      'step 6 (unblock_ip): ip: not an IP address',
    ]);
    expect(runbook.steps.map((s) => (s.kind === 'action' ? [s.action, s.params] : s.kind))).toEqual([
      'guidance',
      // The smuggled `runAfter` parameter is not something the action declares: it is not kept.
      ['verify_client_credentials', { clientId: SCOPED_CLIENT }],
      ['unblock_ip', { ip: OFFICE_IP }],
    ]);
  });

  it('never repeats an unreadable action name in a drop reason', async () => {
    const steps = [
      { kind: 'action', title: 't', body: 'b', action: 'IGNORE ALL <rules>', params: {} },
      { kind: 'guidance', title: 't', body: 'b' },
    ];
    const { write, dropped } = setup([writer('bedrock', { steps })]);
    await write();
    expect(dropped).toEqual(['step 1 proposes (unreadable name), which is not in the catalog']);
  });

  it('moves on when every proposed step was dropped', async () => {
    const steps = [{ kind: 'action', title: 'Revoke', body: 'now', action: 'revoke_all_keys', params: {} }];
    const anthropic = writer('anthropic', goodRunbookInput(SCOPED_CLIENT));
    const { write, fallbacks } = setup([writer('bedrock', { steps }), anthropic]);

    const runbook = await write();

    expect(runbook.provider).toBe('anthropic');
    expect(fallbacks).toEqual([['bedrock', 'invalid_input: bedrock: none of its steps were usable']]);
  });

  it('drops a step whose check throws instead of failing the runbook', async () => {
    const { catalog } = createTestCatalog();
    const verify = catalog.get('verify_client_credentials')!;
    const broken = new Map(catalog);
    broken.set('verify_client_credentials', {
      ...verify,
      bind: () => ({
        ok: true,
        action: {
          check: () => Promise.reject(new Error('tenant lookup failed')),
          run: () => Promise.reject(new Error('never')),
          recover: () => Promise.reject(new Error('never')),
        },
      }),
    });
    const { write, dropped } = setup([writer('bedrock', goodRunbookInput(SCOPED_CLIENT))], {
      catalog: broken,
    });

    const runbook = await write();

    expect(runbook.dropped).toBe(1);
    expect(dropped).toEqual(['step 2: its check failed (unexpected Error)']);
  });

  it('still returns a runbook when every writer fails, even the built-in one', async () => {
    const { write } = setup([failing('bedrock', new Error('x')), failing('builtin', new Error('bug'))]);
    const runbook = await write();
    expect(runbook.provider).toBe('builtin');
    expect(runbook.steps.length).toBeGreaterThan(0);
  });

  it('gives up on the writers at once when the caller cancels', async () => {
    const slow = never('bedrock');
    const { write, fallbacks } = setup([slow], { timeoutMs: 10_000 });
    const controller = new AbortController();
    const pending = write(controller.signal);
    controller.abort();
    const runbook = await pending;
    expect(runbook.provider).toBe('builtin');
    expect(slow.lastSignal?.aborted).toBe(true);
    expect(fallbacks).toEqual([['bedrock', 'cancelled: runbook writing was cancelled']]);
  });

  it('does not ask a writer at all when already cancelled', async () => {
    const bedrock = writer('bedrock', goodRunbookInput(SCOPED_CLIENT));
    const { write } = setup([bedrock]);
    const controller = new AbortController();
    controller.abort();
    const runbook = await write(controller.signal);
    expect(runbook.provider).toBe('builtin');
    expect(bedrock.calls).toBe(0);
  });
});
