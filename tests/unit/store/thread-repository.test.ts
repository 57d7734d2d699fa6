import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IncidentRepository } from '../../../src/store/incident-repository.js';
import { ThreadRepository } from '../../../src/store/thread-repository.js';
import { at, memoryStore, open, tempDir } from './helpers.js';

const withIncident = (store = memoryStore()) => {
  new IncidentRepository(store).open({
    id: 'inc-1',
    signal: 's',
    scope: 'tenant',
    severity: 'high',
    title: 't',
    at: at(),
  });
  return new ThreadRepository(store);
};

describe('ThreadRepository', () => {
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
    expect(new ThreadRepository(first).claimEvent('event:Ev1', at())).toBe(true);
    expect(new ThreadRepository(first).claimEvent('event:Ev1', at())).toBe(false);
    first.close();
    const second = open({ path });
    expect(new ThreadRepository(second).claimEvent('event:Ev1', at(1))).toBe(false);
    second.close();
  });
});
