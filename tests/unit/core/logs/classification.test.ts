import { describe, expect, it } from 'vitest';
import {
  classifyLog,
  minuteOf,
  parseLogEntry,
  signalForCode,
  type TenantLogEntry,
} from '../../../../src/core/logs/classification.js';

const entry = (over: Record<string, unknown> = {}): TenantLogEntry => {
  const parsed = parseLogEntry({ log_id: '900001', date: '2026-03-01T12:00:03.512Z', type: 's', ...over });
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed.entry;
};
const bot = { botClientId: 'botClient0001' };

describe('signalForCode', () => {
  it.each([
    ['s', 'login_success'],
    ['f', 'login_failure'],
    ['fp', 'login_failure'],
    ['fu', 'login_failure'],
    ['feccft', 'm2m_token_failure'],
    ['seccft', 'm2m_token_success'],
    ['feacft', 'web_token_failure'],
    ['fertft', 'web_token_failure'],
    ['api_limit', 'rate_limit'],
    ['api_limit_warning', 'rate_limit_warning'],
    ['limit_wc', 'attack_protection'],
    ['limit_sul', 'attack_protection'],
    ['limit_mu', 'ip_blocked'],
    ['pwd_leak', 'breached_password'],
    ['ublkdu', 'attack_block_released'],
    ['actions_execution_failed', 'actions_failure'],
    ['sapi', 'tenant_change'],
    ['mgmt_api_read', 'secrets_read'],
    ['custom_domain_verification_failed', 'custom_domain_failure'],
  ])('classifies %s as %s', (code, signal) => {
    expect(signalForCode(code)).toBe(signal);
  });

  describe('the common mistakes (each one is a bug)', () => {
    it('treats seacft as a success, not a failure', () => {
      expect(signalForCode('seacft')).toBe('web_token_success');
    });
    it('treats fcoa as a failed (cross-origin) login, not an M2M failure', () => {
      expect(signalForCode('fcoa')).toBe('login_failure');
    });
    it('does not treat cls (passwordless code sent) as a secret change', () => {
      expect(signalForCode('cls')).toBe('ignored');
    });
    it('does not treat fs (failed signup) as a failed login', () => {
      expect(signalForCode('fs')).toBe('signup_failure');
    });
    it('has no code meaning "secret changed": only sapi is a tenant change', () => {
      const changes = ['sapi', 'cls', 'scp', 'sce', 'fs', 'fcoa', 'ss'].filter(
        (c) => signalForCode(c) === 'tenant_change',
      );
      expect(changes).toEqual(['sapi']);
    });
  });
});

describe('classifyLog', () => {
  it('scopes M2M failures to their client and reads the reason in either spelling', () => {
    const typo = classifyLog(
      entry({
        type: 'feccft',
        client_id: 'Zx81billing',
        details: { client_authentoication_error: 'Invalid client secret' },
      }),
      bot,
    );
    expect(typo).toMatchObject({
      signal: 'm2m_token_failure',
      scope: 'client:Zx81billing',
      own: false,
      reason: 'Invalid client secret',
    });
    const fixed = classifyLog(
      entry({ type: 'feccft', client_id: 'Zx81billing', details: { client_authentication_error: 'bad' } }),
      bot,
    );
    expect(fixed.reason).toBe('bad');
    const bare = classifyLog(entry({ type: 'feccft', client_id: null, description: 'Unauthorized' }), bot);
    expect(bare).toMatchObject({ scope: 'client:unknown', reason: 'Unauthorized' });
  });

  it('scopes logins to their connection, attack protection to the IP, and domain failures to the domain', () => {
    expect(
      classifyLog(entry({ type: 'fp', connection: 'Username-Password-Authentication' }), bot).scope,
    ).toBe('connection:Username-Password-Authentication');
    expect(classifyLog(entry({ type: 'f' }), bot).scope).toBe('tenant');
    expect(classifyLog(entry({ type: 'limit_mu', ip: '203.0.113.7' }), bot).scope).toBe('ip:203.0.113.7');
    expect(classifyLog(entry({ type: 'limit_mu' }), bot).scope).toBe('tenant');
    const domain = classifyLog(
      entry({
        type: 'custom_domain_verification_failed',
        details: { domain: 'login.acme.com', errorMsg: 'CNAME missing' },
      }),
      bot,
    );
    expect(domain).toMatchObject({ scope: 'domain:login.acme.com', reason: 'CNAME missing' });
    expect(classifyLog(entry({ type: 'custom_domain_verification_failed' }), bot).scope).toBe('tenant');
    expect(classifyLog(entry({ type: 'api_limit' }), bot).scope).toBe('tenant');
  });

  it('marks the bot’s own Management API calls and token requests as own', () => {
    expect(classifyLog(entry({ type: 'sapi', client_id: 'botClient0001' }), bot).own).toBe(true);
    expect(classifyLog(entry({ type: 'sapi', client_id: 'someoneElse01' }), bot).own).toBe(false);
    expect(classifyLog(entry({ type: 'mgmt_api_read', client_id: 'botClient0001' }), bot)).toMatchObject({
      signal: 'secrets_read',
      own: true,
    });
  });

  it('reads reasons for login, web token and Actions failures', () => {
    expect(
      classifyLog(entry({ type: 'fp', details: { error: { message: 'Wrong email or password.' } } }), bot)
        .reason,
    ).toBe('Wrong email or password.');
    expect(classifyLog(entry({ type: 'fertft', details: { failure_reason: 'expired' } }), bot).reason).toBe(
      'expired',
    );
    expect(
      classifyLog(
        entry({ type: 'actions_execution_failed', details: { error_class: 'action_timeout' } }),
        bot,
      ).reason,
    ).toBe('action_timeout');
    expect(classifyLog(entry({ type: 's' }), bot).reason).toBeNull();
  });
});

describe('parseLogEntry', () => {
  it('normalises the date and bounds attacker-controlled text', () => {
    const parsed = parseLogEntry({
      log_id: '1',
      date: '2026-03-01T12:00:00+01:00',
      type: 'fp',
      user_name: 'x'.repeat(10_000),
      user_agent: '',
    });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.entry.date).toBe('2026-03-01T11:00:00.000Z');
    expect(parsed.entry.userName?.length).toBe(256);
    expect(parsed.entry.userName?.endsWith('…')).toBe(true);
    expect(parsed.entry.userAgent).toBeNull();
  });

  it.each([
    [null, undefined, /entry/],
    ['a string', undefined, /entry/],
    [{ date: '2026-03-01T12:00:00Z', type: 's' }, undefined, /log_id/],
    [{ log_id: '7', date: 'yesterday', type: 's' }, '7', /date/],
    [{ log_id: '8', date: '2026-03-01T12:00:00Z' }, '8', /type/],
    [{ log_id: '9', date: '2026-03-01T12:00:00Z', type: 'x'.repeat(65) }, '9', /type/],
    [{ log_id: 'a'.repeat(129), date: '2026-03-01T12:00:00Z', type: 's', ip: 42 }, 'a'.repeat(129), /log_id/],
    // Each bound alone, on an entry otherwise well-formed.
    [{ log_id: 'b'.repeat(129), date: '2026-03-01T12:00:00Z', type: 's' }, 'b'.repeat(129), /log_id/],
    [{ log_id: '', date: '2026-03-01T12:00:00Z', type: 's' }, '', /log_id/],
    [{ log_id: '12', date: '2026-03-01T12:00:00Z', type: '' }, '12', /type/],
    [{ log_id: '13', date: '2026-03-01T12:00:00Z'.padEnd(65, 'Z'), type: 's' }, '13', /date/],
  ])('reports %j as malformed without throwing', (raw, logId, problem) => {
    const parsed = parseLogEntry(raw);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.logId).toBe(logId);
    expect(parsed.problem).toMatch(problem);
  });
});

describe('parseLogEntry with a field of the wrong type', () => {
  it('drops a numeric client_name alone and keeps the event, saying which field it dropped', () => {
    const parsed = parseLogEntry({
      log_id: '10',
      date: '2026-03-01T12:00:00Z',
      type: 'f',
      client_name: 42,
      user_agent: { browser: 'x' },
      ip: '203.0.113.7',
      connection: 'Username-Password-Authentication',
    });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.entry).toMatchObject({
      clientName: null,
      userAgent: null,
      ip: '203.0.113.7',
      connection: 'Username-Password-Authentication',
    });
    expect([...(parsed.entry.droppedFields ?? [])].sort()).toEqual(['client_name', 'user_agent']);
  });

  it('accepts the longest log_id and type allowed, and null optional fields', () => {
    const parsed = parseLogEntry({
      log_id: 'c'.repeat(128),
      date: '2026-03-01T12:00:00Z',
      type: 't'.repeat(64),
      client_name: null,
      ip: undefined,
    });
    expect(parsed.ok && parsed.entry).toMatchObject({ logId: 'c'.repeat(128), clientName: null, ip: null });
  });

  it('drops nothing from a well-typed event', () => {
    const parsed = parseLogEntry({
      log_id: '11',
      date: '2026-03-01T12:00:00Z',
      type: 's',
      client_name: 'App',
    });
    expect(parsed.ok && parsed.entry.droppedFields).toBeUndefined();
  });

  it('still refuses an event whose required fields are wrong, even with a droppable one beside them', () => {
    const parsed = parseLogEntry({ log_id: '12', date: '2026-03-01T12:00:00Z', type: 7, client_name: 42 });
    expect(parsed).toMatchObject({ ok: false, logId: '12', problem: expect.stringMatching(/type/) });
  });
});

describe('the client of an event', () => {
  it('is read from details.qs.client_id when client_id is absent', () => {
    const e = entry({ type: 'f', details: { qs: { client_id: 'QsClient01', response_type: 'code' } } });
    expect(e.clientId).toBe('QsClient01');
  });

  it('prefers client_id when both are present', () => {
    const e = entry({ type: 'f', client_id: 'TopClient', details: { qs: { client_id: 'QsClient01' } } });
    expect(e.clientId).toBe('TopClient');
  });

  it('stays null when neither says, or the query value is not text', () => {
    expect(entry({ type: 'f', details: { qs: { client_id: 5 } } }).clientId).toBeNull();
    expect(entry({ type: 'f', details: { qs: 'client_id=abc' } }).clientId).toBeNull();
  });
});

describe('signalForCode for a code nobody knows yet', () => {
  it.each([
    ['fnew_login_thing', 'unknown_failure'],
    ['brand_new_failed', 'unknown_failure'],
    ['limit_something_new', 'unknown_failure'],
    ['wnew', 'unknown_failure'],
    ['snew_success', 'ignored'],
    ['brand_new_completed', 'ignored'],
  ])('falls back by the shape of %s to %s', (code, signal) => {
    expect(signalForCode(code)).toBe(signal);
  });
});

it('buckets a date into its UTC minute', () => {
  expect(minuteOf('2026-03-01T12:34:56.789Z')).toBe('2026-03-01T12:34');
});
