import { afterEach, describe, expect, it } from 'vitest';
import { createAuditReader } from '../../../../src/core/audit/reader.js';
import { SqliteAuditLog, openDatabase, type StoreDatabase } from '../../../../src/store/index.js';

let store: StoreDatabase;
afterEach(() => {
  store.close();
});

const setup = () => {
  store = openDatabase({ path: ':memory:' });
  const audit = new SqliteAuditLog(store);
  for (let i = 0; i < 60; i += 1)
    audit.append({
      at: new Date(Date.UTC(2026, 2, 2, 9, i)).toISOString(),
      actor: 'U0OPERATOR',
      action: 'step.click',
      outcome: 'started',
      summary: `click ${i}`,
    });
  const operators = new Set(['U0OPERATOR']);
  return createAuditReader({ audit, operators: { isOperator: (u) => Promise.resolve(operators.has(u)) } });
};

describe('reading the audit log', () => {
  it('gives operators the latest n entries, newest first', async () => {
    const read = await setup()('U0OPERATOR', 3);
    expect(read.ok && read.entries.map((e) => e.summary)).toEqual(['click 59', 'click 58', 'click 57']);
  });

  it('never gives more than 50 entries', async () => {
    const read = await setup()('U0OPERATOR', 500);
    expect(read.ok && read.entries).toHaveLength(50);
  });

  it('refuses anyone who is not an operator', async () => {
    expect(await setup()('U0VIEWER', 10)).toEqual({
      ok: false,
      reason: 'denied',
      why: 'Only operators can read the audit log.',
    });
  });
});
