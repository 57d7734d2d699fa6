import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/errors.js';
import { SqliteAuditLog } from '../../../src/store/index.js';
import { at, memoryStore } from './helpers.js';

const setup = () => {
  const store = memoryStore();
  return { store, audit: new SqliteAuditLog(store) };
};

const click = (minutes: number, overrides: Partial<Parameters<SqliteAuditLog['append']>[0]> = {}) => ({
  at: at(minutes),
  actor: 'U123',
  action: 'step.click' as const,
  outcome: 'allowed' as const,
  summary: 'ran verify-credentials',
  ...overrides,
});

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : [path];
  });

describe('SqliteAuditLog', () => {
  it('appends an entry and returns it as a domain object', () => {
    const { audit } = setup();
    const entry = audit.append(
      click(0, {
        incidentId: 'inc1',
        stepId: 's1',
        idempotencyKey: 'step:inc1:s1',
        durationMs: 12.6,
        detail: { via: 'button' },
      }),
    );
    expect(entry).toEqual({
      id: 1,
      at: at(0),
      actor: 'U123',
      action: 'step.click',
      outcome: 'allowed',
      summary: 'ran verify-credentials',
      incidentId: 'inc1',
      stepId: 's1',
      idempotencyKey: 'step:inc1:s1',
      durationMs: 13,
      detail: { via: 'button' },
    });
  });

  it('fills optional fields with null and an empty detail', () => {
    const { audit } = setup();
    expect(
      audit.append(click(0, { actor: 'system', action: 'breaker.open', outcome: 'failure' })),
    ).toMatchObject({
      actor: 'system',
      incidentId: null,
      stepId: null,
      idempotencyKey: null,
      durationMs: null,
      detail: {},
    });
  });

  it('stores timestamps in canonical UTC form and refuses unparseable ones', () => {
    const { audit } = setup();
    expect(audit.append(click(0, { at: '2025-03-01T10:00:00+01:00' })).at).toBe('2025-03-01T09:00:00.000Z');
    expect(() => audit.append(click(0, { at: 'yesterday' }))).toThrow(AppError);
  });

  it('refuses a detail that is not JSON-serialisable', () => {
    const { audit } = setup();
    expect(() => audit.append(click(0, { detail: { n: 1n } }))).toThrow(
      /audit\.detail is not JSON-serialisable/,
    );
  });

  it('records clicks on incidents it does not know', () => {
    const { audit } = setup();
    expect(audit.append(click(0, { incidentId: 'forged', outcome: 'denied' })).incidentId).toBe('forged');
  });

  it('lists the latest entries newest first, clamping the limit', () => {
    const { audit } = setup();
    for (let i = 0; i < 5; i += 1) audit.append(click(i, { summary: `entry ${i}` }));
    expect(audit.latest(3).map((e) => e.summary)).toEqual(['entry 4', 'entry 3', 'entry 2']);
    expect(audit.latest(0)).toHaveLength(1);
    expect(audit.latest(Number.NaN)).toHaveLength(5);
  });

  it('lists the entries of one incident oldest first', () => {
    const { audit } = setup();
    audit.append(click(0, { incidentId: 'a', summary: 'first' }));
    audit.append(click(1, { incidentId: 'b' }));
    audit.append(click(2, { incidentId: 'a', summary: 'second' }));
    expect(audit.forIncident('a').map((e) => e.summary)).toEqual(['first', 'second']);
  });

  it('has no method that could change or remove an entry', () => {
    const methods = Object.getOwnPropertyNames(SqliteAuditLog.prototype).filter(
      (name) => name !== 'constructor',
    );
    expect(methods.sort()).toEqual(['append', 'forIncident', 'latest']);
  });
});

describe('audit_log append-only triggers', () => {
  it('refuse an UPDATE through raw SQL', () => {
    const { store, audit } = setup();
    audit.append(click(0));
    expect(() => store.db.exec("UPDATE audit_log SET outcome = 'denied'")).toThrow(
      'audit_log is append-only',
    );
    expect(audit.latest(1)[0]?.outcome).toBe('allowed');
  });

  it('refuse a DELETE through raw SQL, with or without a WHERE clause', () => {
    const { store, audit } = setup();
    audit.append(click(0));
    expect(() => store.db.exec('DELETE FROM audit_log WHERE id = 1')).toThrow('audit_log is append-only');
    expect(() => store.db.exec('DELETE FROM audit_log')).toThrow('audit_log is append-only');
    expect(audit.latest(10)).toHaveLength(1);
  });

  it('refuse an INSERT OR REPLACE that would overwrite an entry', () => {
    const { store, audit } = setup();
    audit.append(click(0));
    const replace = () =>
      store.db
        .prepare(
          "INSERT OR REPLACE INTO audit_log (id, at, actor, action, outcome, summary) VALUES (1, ?, 'U9', 'step.click', 'denied', 'x')",
        )
        .run(at(1));
    expect(replace).toThrow('audit_log is append-only');
    expect(audit.latest(1)[0]?.actor).toBe('U123');
  });

  it('are not bypassed anywhere in src/: no statement updates or replaces audit rows, and only the retention store deletes them', () => {
    const src = fileURLToPath(new URL('../../../src/', import.meta.url));
    const forbidden =
      /\b(UPDATE\s+(OR\s+\w+\s+)?audit_log|DELETE\s+FROM\s+audit_log|REPLACE\s+INTO\s+audit_log|INSERT\s+OR\s+REPLACE\s+INTO\s+audit_log)\b/i;
    const files = sourceFiles(src).filter((file) => /\.(ts|sql|js)$/.test(file));
    expect(files.length).toBeGreaterThan(5);
    const offenders = files.filter((file) => forbidden.test(readFileSync(file, 'utf8')));
    // AUDIT_RETENTION_DAYS: deletes behind the forward-only horizon the trigger enforces
    // (tests/unit/store/sqlite-audit-retention.test.ts).
    expect(offenders.map((file) => file.slice(src.length))).toEqual(['store/sqlite-audit-retention.ts']);
    const retention = readFileSync(join(src, 'store/sqlite-audit-retention.ts'), 'utf8');
    expect(retention.match(/\b(UPDATE|DELETE|REPLACE)\b[^']*audit_log/gi)).toEqual(['DELETE FROM audit_log']);
    expect(forbidden.test('db.exec("update  audit_log set x = 1")')).toBe(true);
  });
});
