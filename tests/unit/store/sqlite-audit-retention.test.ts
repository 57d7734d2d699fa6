import { describe, expect, it } from 'vitest';
import { SqliteAuditLog, SqliteAuditRetention } from '../../../src/store/index.js';
import { at, memoryStore } from './helpers.js';

const setup = () => {
  const store = memoryStore();
  const audit = new SqliteAuditLog(store);
  for (const minutes of [0, 10, 20, 30]) {
    audit.append({ at: at(minutes), actor: 'U123', action: 'step.click', outcome: 'allowed', summary: 'x' });
  }
  return { store, audit, retention: new SqliteAuditRetention(store) };
};

describe('SqliteAuditRetention', () => {
  it('deletes only the entries older than the horizon, oldest first', () => {
    const { audit, retention } = setup();
    expect(retention.pruneBefore(at(15))).toBe(2);
    expect(audit.latest(10).map((e) => e.at)).toEqual([at(30), at(20)]);
    expect(retention.pruneBefore(at(15))).toBe(0);
  });

  it('never moves the horizon back: a smaller cut-off deletes nothing and keeps the old horizon', () => {
    const { store, audit, retention } = setup();
    retention.pruneBefore(at(15));
    expect(retention.pruneBefore(at(5))).toBe(0);
    expect(() =>
      store.db.exec("UPDATE audit_retention SET prune_before = '1970-01-01T00:00:00.000Z'"),
    ).toThrow('only moves forward');
    expect(() => store.db.exec('DELETE FROM audit_retention')).toThrow('only moves forward');
    expect(audit.latest(10)).toHaveLength(2);
  });

  it('leaves the log append-only for every entry at or after the horizon', () => {
    const { store, audit, retention } = setup();
    retention.pruneBefore(at(15));
    expect(() => store.db.exec('DELETE FROM audit_log')).toThrow('audit_log is append-only');
    expect(() => store.db.prepare('DELETE FROM audit_log WHERE at = ?').run(at(20))).toThrow(
      'audit_log is append-only',
    );
    expect(() => store.db.exec("UPDATE audit_log SET outcome = 'denied'")).toThrow(
      'audit_log is append-only',
    );
    expect(audit.latest(10)).toHaveLength(2);
  });
});
