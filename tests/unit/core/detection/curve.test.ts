import { describe, expect, it } from 'vitest';
import { baselineFrom, logQueryOf, sparkline } from '../../../../src/core/detection/curve.js';
import { resolveThresholds } from '../../../../src/core/detection/index.js';
import { keepOnset } from '../../../../src/core/incidents/evidence-codec.js';
import type { Evidence } from '../../../../src/core/detection/model.js';
import type { StoredLogEvent } from '../../../../src/core/logs/ports.js';
import { ago, createWorld, db, only } from './world.js';

const t = resolveThresholds({});

describe('the sparkline', () => {
  it('draws one character per bucket, scaled to the highest', () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7])).toBe('▁▂▃▄▅▆▇█');
    expect(sparkline([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 40, 80])).toBe('▁▁▁▁▁▁▁▁▁▁▅█');
  });

  it('never draws a few failures as none', () => {
    expect(sparkline([1, 1000])).toBe('▂█');
  });

  it('scales to the usual level when it is higher, so ordinary traffic does not look like a spike', () => {
    expect(sparkline([3, 3, 3], 21)).toBe('▂▂▂');
    expect(sparkline([0, 0, 0])).toBe('▁▁▁');
  });

  it('reads bad counts as none', () => {
    expect(sparkline([Number.NaN, -5, Infinity, 7])).toBe('▁▁▁█');
  });
});

describe('when a baseline will exist', () => {
  it('is the first evaluation whose history covers the minimum, counted to the aligned boundary', () => {
    // Watching since 12:02: an hour of history reaches 13:02, the next boundary is 13:05, and the
    // window that starts there ends at 13:09.
    const since = Date.parse('2026-03-10T12:02:00.000Z') / 60_000;
    expect(baselineFrom(since, { ...t, windowMinutes: 5, baselineMinHistoryMinutes: 60 })).toBe(
      '2026-03-10T13:09:00.000Z',
    );
  });
});

describe('the log query of an incident', () => {
  const event = (type: string): StoredLogEvent => ({
    logId: type,
    date: '2026-03-10T12:00:00.000Z',
    type,
    signal: 'm2m_token_failure',
    scope: 'client:abc',
    own: false,
    clientId: 'abc',
    clientName: null,
    ip: null,
    connection: null,
    userName: null,
    userAgent: null,
    description: null,
    reason: null,
    source: 'poll',
  });

  it('names the most frequent types and the scope’s field', () => {
    const events = [event('feccft'), event('feccft'), event('fepotpcf')];
    expect(logQueryOf('client:abc', events, undefined)).toEqual({
      types: ['feccft', 'fepotpcf'],
      clientId: 'abc',
    });
    expect(logQueryOf('connection:db', [], undefined)).toEqual({ types: [], connection: 'db' });
    expect(logQueryOf('ip:203.0.113.7', [], undefined)).toEqual({ types: [], ip: '203.0.113.7' });
    expect(logQueryOf('tenant', [], '198.51.100.1')).toEqual({ types: [], ip: '198.51.100.1' });
    expect(logQueryOf('client:unknown', [], undefined)).toEqual({ types: [] });
  });
});

describe('the onset of an episode', () => {
  it('is the first failing event of the firing run, to the second, not when detection ran', () => {
    const world = createWorld();
    world.add('fp', 3, 30, db);
    world.add('fp', 2, 30, db);
    world.add('fp', 1, 30, db);
    world.add('s', 5, 30, db);
    const evidence = only(world.detector().evaluate([]), 'failed_logins').evidence;
    expect(evidence.onset).toBe(ago(3));
    expect(evidence.curve?.counts.at(-1)).toBe(90);
  });

  it('skips the ordinary failures before the rise: it starts with the first minute above the usual level', () => {
    const world = createWorld();
    world.normal(120);
    for (const m of [2, 1, 0]) world.add('fp', m, 200, db);
    const decision = world
      .detector()
      .evaluate([])
      .find((d) => d.kind === 'open' && d.evidence.onset !== undefined && d.evidence.failures >= 600);
    const onset = decision?.kind === 'open' ? decision.evidence.onset : undefined;
    expect(decision?.kind === 'open' && decision.evidence.baseline).toBeGreaterThan(0);
    expect(onset !== undefined && onset >= ago(2) && onset < ago(1)).toBe(true);
  });

  it('is kept from the first decision while the incident stays open, unless an earlier one turns up', () => {
    const base: Evidence = {
      window: { from: '', to: '', minutes: 5 },
      failures: 1,
      rate: 1,
      suspects: [],
      onset: '2026-03-10T11:00:00.000Z',
    };
    const later = { ...base, onset: '2026-03-10T11:40:00.000Z' };
    const earlier = { ...base, onset: '2026-03-10T10:50:00.000Z' };
    expect(keepOnset(base, later).onset).toBe('2026-03-10T11:00:00.000Z');
    expect(keepOnset(base, earlier).onset).toBe('2026-03-10T10:50:00.000Z');
    const { onset: _none, ...withoutOnset } = base;
    expect(keepOnset(withoutOnset, later).onset).toBe('2026-03-10T11:40:00.000Z');
  });
});
