import { describe, expect, it } from 'vitest';
import { holdRecoveriesWhileStale, logsAreFresh } from '../../../../src/core/detection/freshness.js';
import type { Decision } from '../../../../src/core/detection/model.js';
import type { PollerStatus } from '../../../../src/core/logs/poller.js';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const status = (over: Partial<PollerStatus>): PollerStatus => ({
  lastAttemptAt: NOW,
  lastSuccessAt: NOW,
  lastError: undefined,
  caughtUp: true,
  newestLogDate: undefined,
  ingested: 0,
  ...over,
});
const ago = (ms: number) => new Date(NOW.getTime() - ms);

describe('whether log polling is current', () => {
  it('is fresh right after a successful poll', () => {
    expect(logsAreFresh(status({}), NOW, 30)).toBe(true);
  });

  it('goes stale after three poll intervals without a success', () => {
    expect(logsAreFresh(status({ lastSuccessAt: ago(179_000) }), NOW, 60)).toBe(true);
    expect(logsAreFresh(status({ lastSuccessAt: ago(181_000) }), NOW, 60)).toBe(false);
  });

  it('allows at least two minutes however short the interval, so a slow poll is not a stall', () => {
    expect(logsAreFresh(status({ lastSuccessAt: ago(100_000) }), NOW, 2)).toBe(true);
    expect(logsAreFresh(status({ lastSuccessAt: ago(121_000) }), NOW, 2)).toBe(false);
  });

  it('is stale while the last poll failed, and before any poll succeeded', () => {
    expect(logsAreFresh(status({ lastError: 'HTTP 503' }), NOW, 30)).toBe(false);
    expect(logsAreFresh(status({ lastSuccessAt: undefined }), NOW, 30)).toBe(false);
  });
});

describe('holding recoveries while logs are stale', () => {
  const decisions: Decision[] = [
    { kind: 'recover', signal: 'failed_logins', scope: 'tenant', reason: 'quiet' },
    { kind: 'recover', signal: 'm2m_token_failures', scope: 'client:a', reason: 'quiet' },
    { kind: 'recover', signal: 'signing_key', scope: 'tenant', reason: 'done' },
    { kind: 'recover', signal: 'auth0_unreachable', scope: 'tenant', reason: 'breaker closed' },
  ];

  it('keeps every decision while logs are fresh', () => {
    expect(holdRecoveriesWhileStale(decisions, true)).toEqual(decisions);
  });

  it('drops only the recoveries of log-derived signals while logs are stale', () => {
    expect(holdRecoveriesWhileStale(decisions, false).map((d) => d.signal)).toEqual([
      'signing_key',
      'auth0_unreachable',
    ]);
  });
});
