import { describe, expect, it } from 'vitest';
import type { CertificateStatus, CustomDomain } from '../../../../src/core/tenant/ports.js';
import { DAY_MS } from '../../../../src/core/watchers/model.js';
import { evaluateCertificates, readCertificateState } from '../../../../src/core/watchers/certificates.js';

const NOW = new Date('2026-03-10T12:00:00.000Z');
const AT = NOW.toISOString();
const opts = { warnDays: 14 };

const inDays = (days: number, from = NOW): string => new Date(from.getTime() + days * DAY_MS).toISOString();
const later = (days: number): Date => new Date(NOW.getTime() + days * DAY_MS);

const domain = (
  name: string,
  renewsBefore: string | undefined,
  certStatus: CertificateStatus = 'provisioned',
  status: CustomDomain['status'] = 'ready',
  errorMessage?: string,
): CustomDomain => ({
  id: `cd_${name}`,
  domain: name,
  status,
  certificate: { status: certStatus, renewsBefore, errorMessage },
});

describe('evaluateCertificates', () => {
  it.each([
    { left: 30, events: [], ok: true, summary: 'nearest certificate renewal in 30 days (login.acme.com)' },
    { left: 14.5, events: [], ok: true, summary: 'nearest certificate renewal in 14 days (login.acme.com)' },
    {
      left: 14,
      events: [['medium', 14]],
      ok: false,
      summary: 'nearest certificate renewal in 14 days (login.acme.com)',
    },
    {
      left: 3,
      events: [['medium', 3]],
      ok: false,
      summary: 'nearest certificate renewal in 3 days (login.acme.com)',
    },
    {
      left: 1,
      events: [['high', 1]],
      ok: false,
      summary: 'nearest certificate renewal in 1 day (login.acme.com)',
    },
    {
      left: 0.25,
      events: [['high', 0]],
      ok: false,
      summary: 'nearest certificate renewal in less than a day (login.acme.com)',
    },
    {
      left: -2,
      events: [['high', -2]],
      ok: false,
      summary: 'certificate renewal overdue since 2 days ago (login.acme.com)',
    },
  ])('a renewal date $left days away gives $events on the first run', ({ left, events, ok, summary }) => {
    const outcome = evaluateCertificates([domain('login.acme.com', inDays(left))], undefined, NOW, opts);
    expect(
      outcome.events.map((e) => (e.kind === 'certificate_expiring' ? [e.severity, e.daysLeft] : e.kind)),
    ).toEqual(events);
    expect(outcome.reading).toEqual({ ok, summary });
  });

  it('describes an expiring certificate fully: where, when, and the warning window', () => {
    const [event] = evaluateCertificates([domain('login.acme.com', inDays(10))], undefined, NOW, opts).events;
    expect(event).toEqual({
      kind: 'certificate_expiring',
      at: AT,
      scope: 'domain:login.acme.com',
      severity: 'medium',
      domain: 'login.acme.com',
      renewsBefore: inDays(10),
      daysLeft: 10,
      warnDays: 14,
    });
  });

  it('warns once at medium, once more when it reaches one day, and recovers when renewed', () => {
    const renewsBefore = inDays(10);
    const runs = [0, 1, 9.5, 9.6, 10.2].map((day) => later(day));
    let state = undefined as Parameters<typeof evaluateCertificates>[1];
    const seen: string[][] = [];
    for (const now of runs) {
      const outcome = evaluateCertificates([domain('login.acme.com', renewsBefore)], state, now, opts);
      state = outcome.state;
      seen.push(outcome.events.map((e) => `${e.kind}:${e.severity}`));
    }
    expect(seen).toEqual([['certificate_expiring:medium'], [], ['certificate_expiring:high'], [], []]);

    const renewed = evaluateCertificates([domain('login.acme.com', inDays(90))], state, later(10.3), opts);
    expect(renewed.events).toEqual([
      {
        kind: 'certificate_expiring_recovered',
        at: later(10.3).toISOString(),
        scope: 'domain:login.acme.com',
        severity: 'info',
        domain: 'login.acme.com',
        renewsBefore: inDays(90),
        reason: 'resolved',
      },
    ]);
    expect(renewed.reading.ok).toBe(true);
  });

  it('takes the warning window from the options', () => {
    const d = [domain('login.acme.com', inDays(20))];
    expect(evaluateCertificates(d, undefined, NOW, { warnDays: 14 }).events).toEqual([]);
    expect(evaluateCertificates(d, undefined, NOW, { warnDays: 30 }).events.map((e) => e.severity)).toEqual([
      'medium',
    ]);
  });

  it.each(['renewing_failed', 'provisioning_failed'] as const)(
    'reports a %s certificate as high, once, and recovers when it is provisioned',
    (status) => {
      const failed = [domain('login.acme.com', inDays(60), status, 'ready', 'CNAME not found')];
      const first = evaluateCertificates(failed, undefined, NOW, opts);
      expect(first.events).toEqual([
        {
          kind: 'certificate_renewal_failed',
          at: AT,
          scope: 'domain:login.acme.com',
          severity: 'high',
          domain: 'login.acme.com',
          status,
          errorMessage: 'CNAME not found',
        },
      ]);
      expect(first.reading).toEqual({
        ok: false,
        summary:
          'certificate renewal failed (login.acme.com); nearest certificate renewal in 60 days (login.acme.com)',
      });
      expect(evaluateCertificates(failed, first.state, NOW, opts).events).toEqual([]);
      const fixed = evaluateCertificates([domain('login.acme.com', inDays(90))], first.state, NOW, opts);
      expect(fixed.events.map((e) => [e.kind, e.severity])).toEqual([
        ['certificate_renewal_failed_recovered', 'info'],
      ]);
    },
  );

  it('reports a failed custom domain as high and recovers it when the domain is ready again', () => {
    const failed = evaluateCertificates(
      [domain('auth.acme.com', undefined, 'provisioning', 'failed')],
      undefined,
      NOW,
      opts,
    );
    expect(failed.events).toEqual([
      {
        kind: 'custom_domain_failed',
        at: AT,
        scope: 'domain:auth.acme.com',
        severity: 'high',
        domain: 'auth.acme.com',
      },
    ]);
    expect(failed.reading).toEqual({ ok: false, summary: 'custom domain failed (auth.acme.com)' });
    const ready = evaluateCertificates([domain('auth.acme.com', inDays(90))], failed.state, NOW, opts);
    expect(ready.events.map((e) => e.kind)).toEqual(['custom_domain_failed_recovered']);
  });

  it('ends every open condition of a domain that was removed, as "removed"', () => {
    const broken = [domain('old.acme.com', inDays(2), 'renewing_failed', 'failed')];
    const before = evaluateCertificates(broken, undefined, NOW, opts);
    expect(before.events.map((e) => e.kind)).toEqual([
      'custom_domain_failed',
      'certificate_renewal_failed',
      'certificate_expiring',
    ]);
    const after = evaluateCertificates([], before.state, NOW, opts);
    expect(after.events.map((e) => [e.kind, e.scope, 'reason' in e ? e.reason : undefined])).toEqual([
      ['custom_domain_failed_recovered', 'domain:old.acme.com', 'removed'],
      ['certificate_renewal_failed_recovered', 'domain:old.acme.com', 'removed'],
      ['certificate_expiring_recovered', 'domain:old.acme.com', 'removed'],
    ]);
    expect(after.state).toEqual({ domains: {} });
    expect(after.reading).toEqual({ ok: true, summary: 'no custom domains' });
  });

  it('names the nearest renewal among several domains, and keeps only domains with a condition', () => {
    const outcome = evaluateCertificates(
      [
        domain('a.acme.com', inDays(40)),
        domain('b.acme.com', inDays(23)),
        domain('c.acme.com', undefined, 'provisioning'),
      ],
      undefined,
      NOW,
      opts,
    );
    expect(outcome.reading).toEqual({
      ok: true,
      summary: 'nearest certificate renewal in 23 days (b.acme.com)',
    });
    expect(outcome.state).toEqual({ domains: {} });
    expect(
      evaluateCertificates([domain('c.acme.com', undefined, 'provisioning')], undefined, NOW, opts).reading
        .summary,
    ).toBe('no managed certificate dates');
  });

  it('reads back its own state through JSON and treats anything else as no baseline', () => {
    const { state } = evaluateCertificates(
      [domain('a.acme.com', inDays(3), 'renewing_failed')],
      undefined,
      NOW,
      opts,
    );
    expect(readCertificateState(JSON.parse(JSON.stringify(state)))).toEqual(state);
    expect(readCertificateState({ domains: { x: { expiring: 'soon' } } })).toBeUndefined();
  });
});
