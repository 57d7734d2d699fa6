import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RotationResult, RotationService } from '../../../src/core/rotation/ports.js';
import type { RotationTarget } from '../../../src/core/rotation/target.js';
import { createRotationRequests } from '../../../src/core/rotation/requests.js';
import { createEventBus } from '../../../src/core/events/bus.js';
import {
  createRotationSchedule,
  slotOf,
  type RotationScheduleOptions,
} from '../../../src/jobs/rotation-schedule.js';
import { createLogger } from '../../../src/logger.js';
import {
  SqliteAuditLog,
  SqliteIdempotencyClaims,
  SqliteJobSlots,
  openDatabase,
  SqliteRotationControl,
  type StoreDatabase,
} from '../../../src/store/index.js';

const logger = createLogger(
  { level: 'silent' },
  new Writable({
    write(_c: Buffer, _e, cb) {
      cb();
    },
  }),
);

const BILLING: RotationTarget = {
  clientId: 'Zx81billing',
  strategy: 'client_secret',
  secretId: 'prod/billing',
};
const REPORTS: RotationTarget = {
  clientId: 'Kq02reports',
  strategy: 'private_key_jwt',
  secretId: 'prod/reports',
};

/** A hand-written RotationService: records calls; each call waits for `release` when gated. */
class FakeRotationService implements Pick<RotationService, 'rotate'> {
  readonly calls: Array<{ clientId: string; trigger: string; by: string; signal: AbortSignal | undefined }> =
    [];
  gate: Promise<void> | undefined;
  result: RotationResult = { ok: true, rotationId: 'r1', summary: 'rotated' };

  async rotate(
    target: RotationTarget,
    request: { trigger: 'schedule' | 'command' | 'step'; by: string; signal?: AbortSignal },
  ): Promise<RotationResult> {
    this.calls.push({
      clientId: target.clientId,
      trigger: request.trigger,
      by: request.by,
      signal: request.signal,
    });
    if (this.gate) await this.gate;
    return this.result;
  }
}

let db: StoreDatabase;
let service: FakeRotationService;
const results: Array<[string, RotationResult]> = [];

// The schedule drives the real rotation use case; its outcomes are read off the event bus.
const schedule = (over: Partial<RotationScheduleOptions> = {}) => {
  const events = createEventBus();
  events.subscribe('rotation_finished', (e) => {
    results.push([e.target.clientId, e.result]);
  });
  const targets = over.targets ?? [BILLING, REPORTS];
  return createRotationSchedule({
    schedule: '0 3 * * 1',
    targets,
    requests: createRotationRequests({
      targets,
      service,
      claims: new SqliteIdempotencyClaims(db),
      operators: { isOperator: () => Promise.resolve(false) },
      control: new SqliteRotationControl(db),
      audit: new SqliteAuditLog(db),
      announce: { started: () => Promise.resolve(), finished: () => Promise.resolve() },
      events,
      now: () => new Date(),
      onError: () => undefined,
    }),
    slots: new SqliteJobSlots(db),
    now: () => new Date(),
    logger,
    ...over,
  });
};

beforeEach(() => {
  db = openDatabase({ path: ':memory:' });
  service = new FakeRotationService();
  results.length = 0;
});
afterEach(() => {
  vi.useRealTimers();
  db.close();
});

describe('createRotationSchedule', () => {
  it('rotates every target, one after another, when the cron slot comes', async () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2025-01-06T02:59:58.000Z')); // a Monday
    const s = schedule();
    s.start();
    expect(s.nextRun()?.toISOString()).toBe('2025-01-06T03:00:00.000Z');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(service.calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(2_500);
    expect(service.calls.map((c) => [c.clientId, c.trigger, c.by])).toEqual([
      ['Zx81billing', 'schedule', 'system'],
      ['Kq02reports', 'schedule', 'system'],
    ]);
    expect(results.map(([id, r]) => [id, r.ok])).toEqual([
      ['Zx81billing', true],
      ['Kq02reports', true],
    ]);
    const slots = new SqliteJobSlots(db);
    expect(slots.latest('rotation:Zx81billing')).toMatchObject({
      slot: '2025-01-06T03:00:00.000Z',
      outcome: 'succeeded',
    });
    expect(s.nextRun()?.toISOString()).toBe('2025-01-13T03:00:00.000Z');
    await s.stop();
    expect(s.nextRun()).toBeUndefined();
  });

  it('runs a slot once across a restart over the same job_slots', async () => {
    const slot = new Date('2025-01-06T03:00:00.000Z');
    const first = schedule();
    expect(await first.runSlot(slot)).toMatchObject({
      targets: { Zx81billing: 'rotated', Kq02reports: 'rotated' },
    });
    await first.stop();
    // The process restarts and node-cron fires the same slot again (a late tick, a second instance).
    const second = schedule();
    expect(await second.runSlot(new Date('2025-01-06T03:00:00.250Z'))).toMatchObject({
      targets: { Zx81billing: 'claimed_elsewhere', Kq02reports: 'claimed_elsewhere' },
    });
    expect(service.calls).toHaveLength(2);
    // The next slot runs again.
    await second.runSlot(new Date('2025-01-13T03:00:00.000Z'));
    expect(service.calls).toHaveLength(4);
    await second.stop();
  });

  it('skips a tick while the previous run is still going, and stop() aborts the run', async () => {
    let release: () => void = () => undefined;
    service.gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const overlaps: string[] = [];
    const s = schedule({
      onOverlap: (slot) => {
        overlaps.push(slot);
      },
    });
    const running = s.runSlot(new Date('2025-01-06T03:00:00.000Z'));
    await vi.waitFor(() => {
      expect(service.calls).toHaveLength(1);
    });
    expect(await s.runSlot(new Date('2025-01-13T03:00:00.000Z'))).toEqual({
      kind: 'overlap',
      slot: '2025-01-13T03:00:00.000Z',
    });
    expect(overlaps).toEqual(['2025-01-13T03:00:00.000Z']);
    const stopping = s.stop();
    expect(service.calls[0]?.signal?.aborted).toBe(true);
    release();
    await stopping;
    expect(await running).toMatchObject({ targets: { Zx81billing: 'aborted', Kq02reports: 'aborted' } });
    expect(service.calls).toHaveLength(1);
    expect(new SqliteJobSlots(db).latest('rotation:Zx81billing')?.outcome).toBe('aborted');
  });

  it('skips a paused target, audits the skip, and still rotates the others', async () => {
    new SqliteRotationControl(db).setPaused('Zx81billing', true, 'U0OPERATOR', '2025-01-01T00:00:00.000Z');
    const s = schedule();
    expect(await s.runSlot(new Date('2025-01-06T03:00:00.000Z'))).toMatchObject({
      targets: { Zx81billing: 'paused', Kq02reports: 'rotated' },
    });
    expect(service.calls.map((c) => c.clientId)).toEqual(['Kq02reports']);
    expect(results[0]).toEqual(['Zx81billing', expect.objectContaining({ reason: 'paused' })]);
    const entry = new SqliteAuditLog(db).latest(10).find((e) => e.action === 'rotation.schedule');
    expect(entry).toMatchObject({ actor: 'system', outcome: 'skipped' });
    expect(entry?.summary).toContain('Zx81billing');
    await s.stop();
  });

  it('records a failed rotation as a failed slot and reports it', async () => {
    service.result = { ok: false, rotationId: 'r9', summary: 'verify failed', rolledBack: true };
    const s = schedule({ targets: [BILLING] });
    await s.runSlot(new Date('2025-01-06T03:00:00.000Z'));
    expect(results).toEqual([['Zx81billing', service.result]]);
    expect(new SqliteJobSlots(db).latest('rotation:Zx81billing')?.outcome).toBe('failed');
    await s.stop();
  });

  it('rejects an invalid cron expression with an error naming ROTATION_SCHEDULE', () => {
    expect(() => schedule({ schedule: '61 * * * *' })).toThrow(
      /ROTATION_SCHEDULE "61 \* \* \* \*" is not a valid cron/,
    );
    expect(() => schedule({ schedule: 'every monday' })).toThrow(/ROTATION_SCHEDULE/);
  });

  it('does nothing when the schedule is off', async () => {
    vi.useFakeTimers();
    const s = schedule({ schedule: 'off' });
    s.start();
    expect(s.nextRun()).toBeUndefined();
    await vi.advanceTimersByTimeAsync(8 * 24 * 3_600_000);
    expect(service.calls).toHaveLength(0);
    await s.stop();
  });

  it('names a slot by its scheduled minute (or second, for 6-field expressions)', () => {
    expect(slotOf(new Date('2025-01-06T03:00:00.900Z'), '0 3 * * 1')).toBe('2025-01-06T03:00:00.000Z');
    expect(slotOf(new Date('2025-01-06T03:00:07.900Z'), '* * * * * *')).toBe('2025-01-06T03:00:07.000Z');
  });
});
