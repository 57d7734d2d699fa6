import { describe, expect, it } from 'vitest';
import { NORMAL } from '../../../helpers/normal-traffic.js';
import { brief, createWorld, DB, later, only } from './world.js';

/**
 * Refresh-token reuse, blocked IPs, breached passwords, MFA abuse and signup fraud, each beside two
 * hours of ordinary traffic (tests/helpers/normal-traffic.ts).
 */

const SPA = NORMAL.spaClient;
const WEB = { ...NORMAL.webClient, connection: DB };

const background = () => {
  const world = createWorld();
  world.normal(120);
  return world;
};

describe('refresh-token reuse', () => {
  const reuse = { ...SPA, ip: '45.155.205.17', user_id: 'auth0|user7', user_name: 'user7@acme.example' };

  it('opens a high card on one ferrt, scoped to the client, naming the user and the IP', () => {
    const world = background();
    world.add('ferrt', 2, 1, reuse);

    const card = only(world.detector().evaluate([]), 'refresh_token_reuse');

    expect(card).toMatchObject({
      kind: 'open',
      scope: `client:${SPA.client_id}`,
      severity: 'high',
      title: 'Refresh-token reuse for acme-spa (Spa00000000000000000001): 1 reused token in 5 min from 1 IP',
      evidence: { topIps: [{ value: '45.155.205.17', count: 1 }] },
    });
    expect(card.evidence.summary).toContain('user7@acme.example (1)');
  });

  it('stays quiet for expired or invalid refresh tokens (fertft), which ordinary apps produce', () => {
    const world = background();
    world.add('fertft', 1, 3, { ...SPA, description: 'Unknown or invalid refresh token.' });
    expect(brief(world.detector().evaluate([]))).toEqual([]);
  });

  it('counts a reuse only inside the 5-minute window, and recovers after 15 quiet minutes', () => {
    const world = background();
    world.add('ferrt', 5, 1, reuse);
    expect(brief(world.detector().evaluate([]))).toEqual([]);
    const fresh = background();
    fresh.add('ferrt', 4, 1, reuse);
    expect(brief(fresh.detector().evaluate([])).map((d) => d.signal)).toEqual(['refresh_token_reuse']);

    const open = [
      { signal: 'refresh_token_reuse', scope: `client:${SPA.client_id}`, severity: 'high' as const },
    ];
    expect(brief(fresh.detector({ now: () => later(14) }).evaluate(open))).toEqual([]);
    expect(brief(fresh.detector({ now: () => later(19) }).evaluate(open))).toEqual([
      { kind: 'recover', signal: 'refresh_token_reuse', scope: `client:${SPA.client_id}` },
    ]);
  });
});

describe('a blocked IP (limit_mu)', () => {
  const OFFICE = '198.51.100.7';
  const block = (ip: string) => ({ ...WEB, ip, description: `Blocked IP Address ${ip}` });
  const staffLogin = { ...WEB, ip: OFFICE, user_id: 'auth0|staff1', user_name: 'staff1@acme.example' };

  it('is high on one event when the IP had a successful login in the last 24 h, and offers its IP', () => {
    const world = background();
    world.add('s', 23 * 60, 1, staffLogin);
    world.add('limit_mu', 1, 1, block(OFFICE));

    const card = only(world.detector().evaluate([]), 'ip_blocked');

    expect(card).toMatchObject({
      scope: `ip:${OFFICE}`,
      severity: 'high',
      title: `Auth0 blocked ${OFFICE}, an address your users log in from: too many failed logins`,
      evidence: { singleSourceIp: OFFICE },
    });
  });

  it('is medium for an address none of your users logged in from within 24 h (boundary: 25 h ago)', () => {
    const world = background();
    world.add('s', 25 * 60, 1, staffLogin);
    world.add('limit_mu', 1, 1, block(OFFICE));

    expect(only(world.detector().evaluate([]), 'ip_blocked')).toMatchObject({
      severity: 'medium',
      title: `Auth0 blocked ${OFFICE} after too many failed logins (no successful login from it in 24 h)`,
    });
  });

  it('keeps the severity it opened with instead of searching the day again', () => {
    const world = background();
    world.add('limit_mu', 1, 1, block(OFFICE));
    const open = [{ signal: 'ip_blocked', scope: `ip:${OFFICE}`, severity: 'high' as const }];
    expect(only(world.detector().evaluate(open), 'ip_blocked')).toMatchObject({
      kind: 'update',
      severity: 'high',
    });
  });

  it('opens nothing when an admin releases a block (ublkdu)', () => {
    const world = background();
    world.add('ublkdu', 1, 1, { ip: OFFICE, description: 'User block released' });
    expect(brief(world.detector().evaluate([]))).toEqual([]);
  });
});

describe('breached passwords', () => {
  const leak = (i: number) => ({
    ...WEB,
    ip: `185.220.101.${i + 1}`,
    user_name: `user${i}@mail.example`,
    description: 'Someone behind the IP address attempted to login with a leaked password.',
  });

  it('opens one medium card for 3 pwd_leak from 3 IPs, not three', () => {
    const world = background();
    world.add('pwd_leak', 3, 1, leak);
    world.add('pwd_leak', 2, 1, (i) => leak(i + 1));
    world.add('reset_pwd_leak', 1, 1, (i) => leak(i + 2));

    const decisions = world.detector().evaluate([]);

    expect(brief(decisions)).toEqual([
      {
        kind: 'open',
        signal: 'breached_password',
        scope: 'tenant',
        severity: 'medium',
        title: 'Breached passwords: 3 logins with a leaked password blocked from 3 IPs in 5 min',
      },
    ]);
    expect(only(decisions, 'breached_password').evidence.topIps).toHaveLength(3);
  });

  it('is high from 10 in the window (9 stay medium)', () => {
    for (const [n, severity] of [
      [9, 'medium'],
      [10, 'high'],
    ] as const) {
      const world = background();
      world.add('pwd_leak', 1, n, leak);
      expect(only(world.detector().evaluate([]), 'breached_password').severity, `${n}`).toBe(severity);
    }
  });

  it('opens nothing for a leak that fell out of the window', () => {
    const world = background();
    world.add('pwd_leak', 5, 1, leak);
    expect(brief(world.detector().evaluate([]))).toEqual([]);
  });

  it('is folded into a credential-stuffing card of the same evaluation', () => {
    const world = background();
    world.add('pwd_leak', 1, 2, leak);
    for (let m = 3; m >= 0; m--) {
      world.add('fu', m, 15, (i) => ({
        ...WEB,
        ip: `203.0.113.${10 + (i % 10)}`,
        user_name: `victim${m * 15 + i}@mail.example`,
      }));
    }
    expect(brief(world.detector().evaluate([])).map((d) => d.signal)).toEqual(['credential_stuffing']);
  });
});

describe('MFA abuse', () => {
  const victim = { user_id: 'auth0|victim42', user_name: '+14155550142', ip: '45.134.26.20' };
  const scope = 'user:auth0|victim42';

  it('calls 20 SMS to one user with a code rate limit SMS bombing, high', () => {
    const world = background();
    world.spread('gd_send_sms', 3, 0, 5, victim);
    world.add('gd_otp_rate_limit_exceed', 0, 1, victim);

    const card = only(world.detector().evaluate([]), 'mfa_abuse');

    expect(card).toMatchObject({
      scope,
      severity: 'high',
      title: 'SMS bombing of +14155550142: 20 SMS sent in 5 min, rate limit hit',
    });
    expect(card.evidence.summary).toContain('20 MFA messages sent (mostly SMS)');
  });

  it('calls pushes with rejections push fatigue, high, from 3 rejections (2 stay quiet)', () => {
    for (const [rejections, expected] of [
      [2, []],
      [3, ['MFA push fatigue on +14155550142: 6 pushes sent, 3 rejected in 5 min']],
    ] as const) {
      const world = background();
      world.spread('gd_send_pn', 2, 0, 2, victim);
      world.add('gd_auth_rejected', 1, rejections, victim);
      const titles = brief(world.detector().evaluate([])).map((d) => d.kind !== 'recover' && d.title);
      expect(titles, `${rejections} rejections`).toEqual(expected);
    }
  });

  it('needs 10 messages to one user without a rejection (9 stay quiet), and then it is medium', () => {
    for (const [sent, expected] of [
      [9, []],
      [10, ['medium']],
    ] as const) {
      const world = background();
      world.add('gd_send_sms', 1, sent, victim);
      expect(
        brief(world.detector().evaluate([])).map((d) => d.severity),
        `${sent}`,
      ).toEqual(expected);
    }
  });

  it('opens medium on one recovery-code rate limit and low on 3 failed enrolments', () => {
    const world = background();
    world.add('gd_recovery_rate_limit_exceed', 1, 1, victim);
    world.add('gd_start_enroll_failed', 1, 3, {
      ...victim,
      user_id: 'auth0|newhire',
      user_name: 'new@acme.example',
    });

    expect(
      brief(world.detector().evaluate([]))
        .map((d) => d.kind !== 'recover' && [d.scope, d.severity, d.title])
        .sort(),
    ).toEqual([
      ['user:auth0|newhire', 'low', 'MFA enrolment failing for new@acme.example: 3 failures in 5 min'],
      [scope, 'medium', 'MFA code guessing on +14155550142: rate limit hit in 5 min'],
    ]);
  });

  it('stays quiet for ordinary MFA: a few codes and a typo per user', () => {
    const world = background();
    world.add('gd_send_sms', 1, 3, victim);
    world.add('gd_auth_failed', 1, 2, victim);
    world.add('gd_auth_succeed', 0, 1, victim);
    expect(brief(world.detector().evaluate([]))).toEqual([]);
  });
});

describe('signup fraud', () => {
  const signup = (i: number) => ({
    ...WEB,
    ip: `103.152.${i % 12}.40`,
    user_name: `promo${i}@tempmail.example`,
  });

  it('is high for 60 ss, 20 fs and a signup_pwd_leak far above the usual rate', () => {
    const world = background();
    for (let m = 3; m >= 0; m--) world.add('ss', m, 15, signup);
    world.add('fs', 2, 20, (i) => ({ ...signup(i), description: 'The user already exists.' }));
    world.add('signup_pwd_leak', 1, 1, signup(3));

    const card = only(world.detector().evaluate([]), 'signup_fraud');

    expect(card.severity).toBe('high');
    expect(card.title).toMatch(
      /^Signup surge: 8\d signups in 5 min \(usually 0\.\d\/min\) from \d+ IPs, 2\d failed, 1 attempt with a breached password$/,
    );
  });

  it('is medium for a surge of successful signups alone', () => {
    const world = background();
    for (let m = 3; m >= 0; m--) world.add('ss', m, 15, signup);
    expect(only(world.detector().evaluate([]), 'signup_fraud').severity).toBe('medium');
  });

  it('stays quiet at twice the usual rate (a busy afternoon)', () => {
    const world = background();
    world.spread('ss', 4, 0, 1, { ...WEB, ip: '198.18.0.3' });
    expect(brief(world.detector().evaluate([]))).toEqual([]);
  });

  it('without a baseline needs 100 signups in the window (99 stay quiet)', () => {
    for (const [n, expected] of [
      [99, []],
      [100, ['signup_fraud']],
    ] as const) {
      const world = createWorld();
      world.add('ss', 1, n, signup);
      expect(
        brief(world.detector().evaluate([])).map((d) => d.signal),
        `${n}`,
      ).toEqual(expected);
    }
  });
});
