import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteIncidentStore } from '../../../src/store/sqlite-incident-store.js';
import { SqliteThreadStore } from '../../../src/store/sqlite-thread-store.js';
import { at, memoryStore, open, tempDir } from './helpers.js';

const withIncident = (store = memoryStore()) => {
  new SqliteIncidentStore(store).open({
    id: 'inc-1',
    signal: 's',
    scope: 'tenant',
    severity: 'high',
    title: 't',
    at: at(),
  });
  return new SqliteThreadStore(store);
};

describe('SqliteThreadStore', () => {
  it('keeps a thread conversation in order, ignoring a second copy of the same message', () => {
    const threads = withIncident();
    const base = { incidentId: 'inc-1', threadTs: '1.0', at: at(1) };
    expect(threads.append({ ...base, role: 'user', text: 'why?', eventId: 'm:1' })).toBe(true);
    expect(threads.append({ ...base, role: 'user', text: 'why?', eventId: 'm:1' })).toBe(false);
    threads.append({ ...base, role: 'assistant', text: 'because' });
    threads.append({ ...base, threadTs: '2.0', role: 'user', text: 'other thread' });
    expect(threads.history('inc-1', '1.0')).toEqual([
      { role: 'user', text: 'why?' },
      { role: 'assistant', text: 'because' },
    ]);
    expect(threads.history('inc-1', '1.0', 1)).toEqual([{ role: 'assistant', text: 'because' }]);
  });

  it('claims an event once, across a reopen of the same file', () => {
    const path = join(tempDir(), 'threads.db');
    const first = open({ path });
    expect(new SqliteThreadStore(first).claimEvent('event:Ev1', at())).toBe(true);
    expect(new SqliteThreadStore(first).claimEvent('event:Ev1', at())).toBe(false);
    first.close();
    const second = open({ path });
    expect(new SqliteThreadStore(second).claimEvent('event:Ev1', at(1))).toBe(false);
    second.close();
  });
});
