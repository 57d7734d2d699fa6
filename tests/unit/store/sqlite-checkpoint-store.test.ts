import { describe, expect, it } from 'vitest';
import { SqliteCheckpointStore } from '../../../src/store/index.js';
import { at, memoryStore } from './helpers.js';

describe('SqliteCheckpointStore', () => {
  it('returns null for a checkpoint never set, then the latest value set', () => {
    const checkpoints = new SqliteCheckpointStore(memoryStore());
    expect(checkpoints.get('auth0.logs')).toBeNull();
    checkpoints.set('auth0.logs', 'log-1', at(0));
    checkpoints.set('auth0.logs', 'log-2', at(1));
    expect(checkpoints.get('auth0.logs')).toEqual({ name: 'auth0.logs', value: 'log-2', updatedAt: at(1) });
  });

  it('moves only when the caller’s transaction commits', () => {
    const store = memoryStore();
    const checkpoints = new SqliteCheckpointStore(store);
    checkpoints.set('auth0.logs', 'log-1', at(0));
    expect(() =>
      store.transaction(() => {
        checkpoints.set('auth0.logs', 'log-9', at(1));
        throw new Error('batch failed');
      }),
    ).toThrow('batch failed');
    expect(checkpoints.get('auth0.logs')?.value).toBe('log-1');
  });
});
