import { describe, expect, it, vi } from 'vitest';
import { classifyLog, parseLogEntry } from '../../../src/core/logs/classification.js';
import { auditPruneJob, logPruneJob } from '../../../src/jobs/log-jobs.js';
import { SqliteAuditLog, SqliteAuditRetention, SqliteLogStore } from '../../../src/store/index.js';
import { memoryStore } from '../store/helpers.js';

const now = () => new Date('2026-03-10T12:00:00.000Z');
const signal = new AbortController().signal;
const ctx = { scheduledFor: now(), signal };

describe('logPruneJob', () => {
  it('cuts events at LOG_RETENTION_HOURS and counts at COUNT_RETENTION_DAYS', async () => {
    const prune = vi.fn(() => ({ events: 3, counts: 1 }));
    const onPruned = vi.fn();
    const job = logPruneJob({
      logs: { prune },
      retention: { logEventHours: 24, countDays: 8 },
      now,
      onPruned,
    });
    expect(job.runAtStart).toBe(true);
    await job.run(ctx);
    expect(prune).toHaveBeenCalledWith('2026-03-09T12:00:00.000Z', '2026-03-02T12:00:00.000Z');
    expect(onPruned).toHaveBeenCalledWith({ events: 3, counts: 1 });
  });

  it('removes from a real store what is older than the settings and keeps the rest', async () => {
    const store = memoryStore();
    const logs = new SqliteLogStore(store);
    const event = (id: string, date: string) => {
      const parsed = parseLogEntry({ log_id: id, date, type: 'f' });
      if (!parsed.ok) throw new Error(parsed.problem);
      return classifyLog(parsed.entry, { botClientId: 'botClient0001' });
    };
    logs.insert(
      [event('001', '2026-03-07T11:59:00.000Z'), event('002', '2026-03-07T12:01:00.000Z')],
      'poll',
      '2026-03-07T12:01:00.000Z',
    );
    const onPruned = vi.fn();
    await logPruneJob({ logs, retention: { logEventHours: 72, countDays: 35 }, now, onPruned }).run(ctx);
    expect(onPruned).toHaveBeenCalledWith({ events: 1, counts: 0 });
  });
});

describe('auditPruneJob', () => {
  it('deletes audit entries older than AUDIT_RETENTION_DAYS and keeps the newer ones', async () => {
    const store = memoryStore();
    const audit = new SqliteAuditLog(store);
    for (const at of ['2026-01-01T00:00:00.000Z', '2026-02-09T12:00:01.000Z']) {
      audit.append({ at, actor: 'U1', action: 'step.click', outcome: 'allowed', summary: 'x' });
    }
    const onPruned = vi.fn();
    await auditPruneJob({ audit: new SqliteAuditRetention(store), days: 30, now, onPruned }).run(ctx);
    expect(onPruned).toHaveBeenCalledWith(1);
    expect(audit.latest(10).map((e) => e.at)).toEqual(['2026-02-09T12:00:01.000Z']);
  });
});
