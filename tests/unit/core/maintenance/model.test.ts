import { describe, expect, it } from 'vitest';
import {
  isActive,
  parseDuration,
  parseMaintenanceRequest,
  parseScope,
  windowCovers,
  type MaintenanceWindow,
} from '../../../../src/core/maintenance/model.js';

const window = (over: Partial<MaintenanceWindow> = {}): MaintenanceWindow => ({
  id: 'mw_1',
  scope: { kind: 'tenant' },
  reason: 'r',
  origin: 'manual',
  createdBy: 'U0OPERATOR',
  startsAt: '2026-03-01T12:00:00.000Z',
  endsAt: '2026-03-01T14:00:00.000Z',
  endedAt: null,
  endedBy: null,
  ...over,
});

describe('maintenance window durations and scopes', () => {
  it.each([
    ['30m', 30],
    ['2h', 120],
    ['1d', 1440],
    ['7d', 10080],
    ['90M', 90],
  ])('reads %s as %i minutes', (text, minutes) => {
    expect(parseDuration(text)).toEqual({ ok: true, value: minutes });
  });

  it.each(['', '2', 'h', '2w', '1.5h', '-1h', 'soon', '2 h'])('refuses %j with the accepted form', (text) => {
    const parsed = parseDuration(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problem).toMatch(/30m, 2h, 1d/);
  });

  it('refuses zero and anything past seven days, saying the bound', () => {
    expect(parseDuration('0m')).toEqual({
      ok: false,
      problem: 'a maintenance window lasts at least 1 minute',
    });
    const long = parseDuration('8d');
    expect(long.ok).toBe(false);
    if (!long.ok) expect(long.problem).toMatch(/at most 7 days/);
    expect(parseDuration('10081m').ok).toBe(false);
  });

  it('reads tenant, client and connection scopes and names what an unknown one should be', () => {
    expect(parseScope('tenant')).toEqual({ ok: true, value: { kind: 'tenant' } });
    expect(parseScope('client:billing worker')).toEqual({
      ok: true,
      value: { kind: 'client', value: 'billing worker' },
    });
    expect(parseScope('connection:google-oauth2')).toEqual({
      ok: true,
      value: { kind: 'connection', value: 'google-oauth2' },
    });
    const unknown = parseScope('user:bob');
    expect(unknown.ok).toBe(false);
    if (!unknown.ok)
      expect(unknown.problem).toContain('`tenant`, `client:<name or ID>` or `connection:<name>`');
    const empty = parseScope('client:');
    expect(empty.ok).toBe(false);
    if (!empty.ok) expect(empty.problem).toMatch(/needs a client name or ID/);
  });

  it('reads a whole request: duration, optional scope, free-text reason', () => {
    expect(parseMaintenanceRequest(['2h', 'connection:google-oauth2', 'provider', 'migration'])).toEqual({
      ok: true,
      value: {
        minutes: 120,
        scope: { kind: 'connection', value: 'google-oauth2' },
        reason: 'provider migration',
      },
    });
    expect(parseMaintenanceRequest(['30m', 'load', 'test'])).toEqual({
      ok: true,
      value: { minutes: 30, scope: { kind: 'tenant' }, reason: 'load test' },
    });
    expect(parseMaintenanceRequest(['1d'])).toEqual({
      ok: true,
      value: { minutes: 1440, scope: { kind: 'tenant' }, reason: '' },
    });
  });

  it('refuses an unknown scope kind instead of taking it for the reason of a tenant-wide window', () => {
    const parsed = parseMaintenanceRequest(['2h', 'user:bob', 'upgrade']);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problem).toMatch(/`user:bob` is not a scope/);
    expect(parseMaintenanceRequest(['2h', 'r'.repeat(301)]).ok).toBe(false);
  });
});

describe('windowCovers', () => {
  const names = (id: string) => (id === 'cli123' ? 'Billing Worker' : undefined);

  it('covers every incident when tenant-wide', () => {
    for (const scope of ['tenant', 'client:cli123', 'connection:x', 'setting:mfa'])
      expect(windowCovers(window(), scope)).toBe(true);
  });

  it('covers a client by ID, by name with case ignored, and its sub-scopes, and nothing else', () => {
    const byId = window({ scope: { kind: 'client', value: 'cli123' } });
    expect(windowCovers(byId, 'client:cli123')).toBe(true);
    expect(windowCovers(byId, 'client:cli123/api-explorer')).toBe(true);
    expect(windowCovers(byId, 'client:cli1234')).toBe(false);
    expect(windowCovers(byId, 'tenant')).toBe(false);
    const byName = window({ scope: { kind: 'client', value: 'billing worker' } });
    expect(windowCovers(byName, 'client:cli123', names)).toBe(true);
    expect(windowCovers(byName, 'client:other', names)).toBe(false);
    expect(windowCovers(byName, 'client:cli123')).toBe(false);
  });

  it('covers a connection by its exact name only', () => {
    const w = window({ scope: { kind: 'connection', value: 'google-oauth2' } });
    expect(windowCovers(w, 'connection:google-oauth2')).toBe(true);
    expect(windowCovers(w, 'connection:Google-OAuth2')).toBe(false);
    expect(windowCovers(w, 'client:google-oauth2')).toBe(false);
    expect(windowCovers(w, 'tenant')).toBe(false);
  });

  it('is active from its start until its end or until it is ended', () => {
    const w = window();
    expect(isActive(w, new Date('2026-03-01T11:59:59.999Z'))).toBe(false);
    expect(isActive(w, new Date('2026-03-01T12:00:00.000Z'))).toBe(true);
    expect(isActive(w, new Date('2026-03-01T13:59:59.999Z'))).toBe(true);
    expect(isActive(w, new Date('2026-03-01T14:00:00.000Z'))).toBe(false);
    expect(
      isActive(
        { ...w, endedAt: '2026-03-01T12:30:00.000Z', endedBy: 'U1' },
        new Date('2026-03-01T13:00:00.000Z'),
      ),
    ).toBe(false);
  });
});
