import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { Rotation } from '../../../src/core/rotation/model.js';
import type { RotationResult } from '../../../src/core/rotation/ports.js';
import type { RotationTarget } from '../../../src/core/rotation/target.js';
import { createRotationMetrics, rotationMetricOutcome } from '../../../src/metrics/rotation-metrics.js';
import { rotationStatusProvider } from '../../../src/core/rotation/status.js';
import {
  rotateConfirmModal,
  rotationResultMessage,
  rotationTargetsReply,
  type TargetView,
} from '../../../src/slack/blocks/rotation-blocks.js';
import { parseCommand } from '../../../src/slack/command-parser.js';
import { answer, type Auth0CommandDeps } from '../../../src/slack/commands/auth0-command.js';

const BILLING: RotationTarget = {
  clientId: 'Zx81billing',
  strategy: 'client_secret',
  secretId: 'prod/billing',
};
const NOW = new Date('2025-01-06T12:00:00.000Z');

const rotation = (over: Partial<Rotation> = {}): Rotation => ({
  id: 'rot-1',
  targetClientId: 'Zx81billing',
  strategy: 'client_secret',
  trigger: 'schedule',
  requestedBy: 'system',
  state: 'done',
  clientRequestToken: null,
  startedAt: '2025-01-06T03:00:00.000Z',
  updatedAt: '2025-01-06T03:01:00.000Z',
  finishedAt: '2025-01-06T03:01:00.000Z',
  outcome: 'succeeded',
  error: null,
  detail: {},
  ...over,
});

describe('/auth0 rotate [client name or ID] parsing', () => {
  it('reads the optional client argument as typed (client IDs are case-sensitive)', () => {
    expect(parseCommand('rotate')).toEqual({ kind: 'rotate', client: undefined });
    expect(parseCommand('ROTATE Zx81billing')).toEqual({ kind: 'rotate', client: 'Zx81billing' });
  });

  it('reads a client name with spaces as one argument', () => {
    expect(parseCommand('rotate Acme Billing  Worker')).toEqual({
      kind: 'rotate',
      client: 'Acme Billing Worker',
    });
  });

  it('says "1 argument", never "argument(s)"', () => {
    expect(parseCommand('audit 5 6')).toMatchObject({
      kind: 'usage_error',
      problem: '`audit` takes at most 1 argument',
    });
  });

  it('hands the user, client and trigger to the rotate dep, and says so while it is not wired', async () => {
    const deps: Auth0CommandDeps = {
      command: '/auth0',
      version: 't',
      status: () => Promise.resolve([]),
      now: () => NOW,
    };
    expect((await answer('rotate x', deps, 'U1')).text).toContain("I don't know `/auth0 rotate`");
    const calls: unknown[] = [];
    const wired: Auth0CommandDeps = {
      ...deps,
      rotate: (...args) => {
        calls.push(args);
        return Promise.resolve({ response_type: 'ephemeral', text: 'list', blocks: [] });
      },
    };
    expect((await answer('rotate Zx81billing', wired, 'U1', 'T1')).text).toBe('list');
    expect(calls).toEqual([['U1', 'Zx81billing', 'T1']]);
  });
});

describe('rotation blocks', () => {
  it('keeps the modal within Slack limits, with the client ID alone as private_metadata', () => {
    const view: TargetView = {
      target: BILLING,
      last: rotation(),
      paused: false,
      next: undefined,
      name: undefined,
    };
    const many = Array.from({ length: 40 }, (_, i) => ({
      ip: `10.0.0.${i}`,
      lastSeen: NOW.toISOString(),
      count: i,
    }));
    const modal = rotateConfirmModal(view, many);
    expect(modal.title.text.length).toBeLessThanOrEqual(24);
    expect(modal.private_metadata).toBe('Zx81billing');
    expect(JSON.stringify(modal)).toContain('…and 25 more');
  });

  it('escapes a hostile client ID in the list', () => {
    const reply = rotationTargetsReply([
      {
        target: { ...BILLING, clientId: '<!channel>' },
        last: null,
        paused: false,
        next: undefined,
        name: '<!here>',
      },
    ]);
    expect(JSON.stringify(reply.blocks)).not.toContain('<!channel>');
    expect(JSON.stringify(reply.blocks)).not.toContain('<!here>');
    expect(JSON.stringify(reply.blocks)).toContain('never rotated; schedule off');
  });

  it.each<[RotationResult, string]>([
    [{ ok: true, rotationId: 'r', summary: 'done' }, ':white_check_mark: Rotated'],
    [{ ok: false, rotationId: 'r', summary: 'boom', rolledBack: true }, 'was rolled back'],
    [{ ok: false, rotationId: undefined, summary: 'boom', rolledBack: false }, 'not rolled back'],
    [{ ok: false, reason: 'already_running', summary: 's' }, 'one is already running'],
    [{ ok: false, reason: 'paused', summary: 's' }, 'paused'],
  ])('renders %j', (result, expected) => {
    expect(rotationResultMessage(BILLING, result, 'schedule', 'system').text).toContain(expected);
  });
});

describe('auth0oncall_rotations_total', () => {
  it('starts every outcome at 0 and counts results under their outcome', async () => {
    const registry = new Registry();
    const metrics = createRotationMetrics(registry);
    metrics.result({ ok: false, rotationId: 'r', summary: 's', rolledBack: true });
    metrics.result({ ok: false, reason: 'already_running', summary: 's' });
    metrics.rotation('skipped');
    const text = await registry.metrics();
    expect(text).toContain('auth0oncall_rotations_total{outcome="rolled_back"} 1');
    expect(text).toContain('auth0oncall_rotations_total{outcome="already_running"} 1');
    expect(text).toContain('auth0oncall_rotations_total{outcome="skipped"} 1');
    expect(text).toContain('auth0oncall_rotations_total{outcome="succeeded"} 0');
    expect(text).toContain('auth0oncall_rotations_total{outcome="failed"} 0');
    expect(rotationMetricOutcome({ ok: false, reason: 'paused', summary: 's' })).toBe('skipped');
  });
});

describe('the Rotation status section', () => {
  it('shows per target the last rotation, its result and the next slot, paused or off', async () => {
    const REPORTS: RotationTarget = { clientId: 'Kq02reports', strategy: 'private_key_jwt', secretId: 's' };
    const OTHER: RotationTarget = { clientId: 'Ab12other', strategy: 'client_secret', secretId: 's' };
    const provider = rotationStatusProvider({
      targets: [BILLING, REPORTS, OTHER],
      rotations: {
        latestFor: (id) =>
          id === 'Zx81billing'
            ? rotation()
            : id === 'Kq02reports'
              ? rotation({ outcome: 'rolled_back' })
              : null,
      },
      control: { isPaused: (id) => id === 'Kq02reports' },
      nextRun: () => new Date('2025-01-13T03:00:00.000Z'),
      now: () => NOW,
      names: {
        nameOf: (id) => (id === 'Ab12other' ? 'other-app' : undefined),
        refresh: () => Promise.resolve(),
      },
    });
    const section = await provider.read();
    expect(section.title).toBe('Rotation');
    expect(section.items).toEqual([
      {
        label: 'Zx81billing',
        value: 'succeeded 8h 59m ago (schedule); next in 6d 15h',
        level: 'ok',
        at: new Date('2025-01-13T03:00:00.000Z'),
      },
      { label: 'Kq02reports', value: 'rolled back 8h 59m ago (schedule); paused', level: 'error' },
      {
        label: 'other-app (Ab12other)',
        value: 'never rotated; next in 6d 15h',
        level: 'info',
        at: new Date('2025-01-13T03:00:00.000Z'),
      },
    ]);
    const off = rotationStatusProvider({
      targets: [BILLING],
      rotations: { latestFor: () => null },
      control: { isPaused: () => false },
      nextRun: () => undefined,
      now: () => NOW,
    });
    expect((await off.read()).items[0]?.value).toBe('never rotated; schedule off');
  });
});
