import { describe, expect, it } from 'vitest';
import { onCallTarget, parseGroup } from '../../../../src/core/incidents/paging.js';

describe('paging targets', () => {
  it('pages the escalation group when configured, else each operator, else nobody', () => {
    expect(onCallTarget('S0ONCALL', ['U0OP'])).toEqual({ kind: 'group', id: 'S0ONCALL' });
    expect(onCallTarget(undefined, ['U0OP', 'not-an-id', 'W0ADMIN'])).toEqual({
      kind: 'operators',
      ids: ['U0OP', 'W0ADMIN'],
    });
    expect(onCallTarget(undefined, [])).toBeUndefined();
  });

  it('reads a group as its ID or a pasted mention, and refuses anything else', () => {
    expect(parseGroup('S0DB')).toBe('S0DB');
    expect(parseGroup(' s0db ')).toBe('S0DB');
    expect(parseGroup('<!subteam^S0DB|@db-team>')).toBe('S0DB');
    expect(parseGroup('<!subteam^S0DB>')).toBe('S0DB');
    expect(parseGroup('@db-team')).toBeUndefined();
    expect(parseGroup('<!channel>')).toBeUndefined();
    expect(parseGroup('U0ALICE')).toBeUndefined();
  });
});
