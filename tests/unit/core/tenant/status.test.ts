import { describe, expect, it } from 'vitest';
import type { PollerStatus } from '../../../../src/core/logs/poller.js';
import type { StatusSection } from '../../../../src/core/status/model.js';
import { tenantStatusProvider } from '../../../../src/core/tenant/status.js';

const NOW = Date.parse('2026-11-22T02:00:00Z');
const idle: PollerStatus = {
  lastAttemptAt: undefined,
  lastSuccessAt: undefined,
  lastError: undefined,
  caughtUp: false,
  newestLogDate: undefined,
  ingested: 0,
};

const pollLine = async (status: PollerStatus, polled: number): Promise<string> => {
  const provider = tenantStatusProvider({
    breaker: { state: () => 'closed', lastFailure: () => undefined, lastSuccess: () => undefined },
    poller: { status: () => status },
    budget: { snapshot: () => [] },
    readings: { get: () => null, put: () => undefined },
    ingested: () => ({ poll: polled, stream: 0 }),
    logStreamEnabled: false,
    unknownLogCodes: () => [],
    now: () => NOW,
  });
  const section: StatusSection = await provider.read();
  const item = section.items.find((i) => i.label === 'log poll');
  return `${item?.level ?? '?'}: ${item?.value ?? '?'}`;
};

describe('the Auth0 status section: log poll', () => {
  it('tells a first poll still draining the backlog from one that has not started', async () => {
    expect(await pollLine(idle, 0)).toBe('info: not run yet');
    expect(await pollLine({ ...idle, lastAttemptAt: new Date(NOW) }, 2200)).toBe(
      'warn: first poll, draining the backlog',
    );
  });

  it('reports a finished poll by age and whether it is caught up, and a failing one first', async () => {
    const done = { ...idle, lastSuccessAt: new Date(NOW - 5000), caughtUp: true };
    expect(await pollLine(done, 10)).toBe('ok: 5s ago, caught up');
    expect(await pollLine({ ...done, caughtUp: false }, 10)).toBe('warn: 5s ago, draining a backlog');
    expect(await pollLine({ ...done, lastError: 'HTTP 503' }, 10)).toBe('error: failing: HTTP 503');
  });
});
