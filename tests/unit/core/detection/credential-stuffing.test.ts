import { describe, expect, it } from 'vitest';
import { NORMAL } from '../../../helpers/normal-traffic.js';
import { brief, createWorld, DB, later, only } from './world.js';

/**
 * Credential stuffing and brute force over every login-failure code, judged beside two hours of
 * ordinary traffic (tests/helpers/normal-traffic.ts: about 10 failed logins per 5 min of its own).
 */

const SPA = { ...NORMAL.spaClient, connection: DB };
const wrong = { description: 'Wrong email or password.' };

/** Attempt `i` of a stuffing run over `users` accounts from `ips` IPs. */
const stuffing = (users: number, ips: number) => (i: number) => ({
  ...SPA,
  ...wrong,
  ip: `203.0.113.${10 + (i % ips)}`,
  user_name: `victim${i % users}@mail.example`,
});

/** `users` accounts tried `times` each from `ips` IPs, as `type`, over the last 4 minutes. */
const attack = (
  world: ReturnType<typeof createWorld>,
  type: string,
  users: number,
  ips: number,
  times = 1,
) => {
  const total = users * times;
  const perMinute = Math.ceil(total / 4);
  const make = stuffing(users, ips);
  for (let m = 3, done = 0; m >= 0 && done < total; m--) {
    const n = Math.min(perMinute, total - done);
    const offset = done;
    world.add(type, m, n, (i) => make(offset + i));
    done += n;
  }
};

describe('credential stuffing', () => {
  it('opens one high card for 60 cross-origin failures of 58 users from 30 IPs, and no failed-login card', () => {
    const world = createWorld();
    world.normal(120);
    attack(world, 'fcoa', 58, 30);
    world.add('fcoa', 0, 2, (i) => ({
      ...SPA,
      ...wrong,
      ip: `203.0.113.${10 + i}`,
      user_name: `victim${i}@mail.example`,
    }));

    const decisions = world.detector().evaluate([]);

    expect(brief(decisions)).toEqual([
      {
        kind: 'open',
        signal: 'credential_stuffing',
        scope: 'tenant',
        severity: 'high',
        title: 'Credential stuffing: 58 users from 30 IPs failed in 5 min (cross-origin)',
      },
    ]);
    const card = only(decisions, 'credential_stuffing');
    expect(card.evidence.topConnections).toEqual([expect.objectContaining({ value: DB })]);
    expect(card.evidence.summary).toContain('58 distinct users, 30 IPs');
  });

  it('supersedes the failed-login card the same attack on the login page would open', () => {
    const world = createWorld();
    world.normal(120);
    attack(world, 'fu', 40, 20, 2);
    const withoutShape = createWorld();
    withoutShape.normal(120);
    // The same volume from one account only: not stuffing, so the failed-login rule speaks.
    withoutShape.spread('fp', 3, 0, 20, {
      ...SPA,
      ...wrong,
      ip: '203.0.113.10',
      user_name: 'one@mail.example',
    });

    expect(brief(world.detector().evaluate([])).map((d) => d.signal)).toEqual(['credential_stuffing']);
    expect(brief(withoutShape.detector().evaluate([])).map((d) => d.signal)).toEqual(['failed_logins']);
  });

  it('folds the blocks of attacking IPs into its card, but not the block of an office your users log in from', () => {
    const world = createWorld();
    world.normal(120);
    attack(world, 'fu', 40, 20, 2);
    world.add('limit_mu', 1, 1, { ...SPA, ip: '203.0.113.11' });
    world.add('s', 60, 1, { ...SPA, ip: '198.51.100.7', user_name: 'staff@acme.example' });
    world.add('limit_mu', 1, 1, { ...SPA, ip: '198.51.100.7' });

    const opened = brief(world.detector().evaluate([])).map((d) => `${d.signal} ${d.scope}`);

    expect(opened.sort()).toEqual(['credential_stuffing tenant', 'ip_blocked ip:198.51.100.7']);
  });

  it('keeps updating a failed-login incident that was already open', () => {
    const world = createWorld();
    world.normal(120);
    attack(world, 'fu', 40, 20, 2);
    const open = [{ signal: 'failed_logins', scope: `connection:${DB}`, severity: 'medium' as const }];

    const kinds = brief(world.detector().evaluate(open)).map((d) => `${d.kind} ${d.signal}`);

    expect(kinds.sort()).toEqual(['open credential_stuffing', 'update failed_logins']);
  });

  it('scopes 40 password-grant failures from one host to that IP, at medium', () => {
    const world = createWorld();
    world.normal(120);
    attack(world, 'fepft', 40, 1);
    const card = only(world.detector().evaluate([]), 'credential_stuffing');
    expect(card).toMatchObject({
      scope: 'ip:203.0.113.10',
      severity: 'medium',
      title: 'Credential stuffing from 203.0.113.10: 40 users failed in 5 min (password grant)',
      evidence: { singleSourceIp: '203.0.113.10' },
    });
  });

  it('calls one account failing from many addresses a brute force', () => {
    const world = createWorld();
    world.normal(120);
    const target = (i: number) => ({ ...SPA, ...wrong, ip: `45.134.26.${i}`, user_name: 'ceo@acme.example' });
    for (let m = 3; m >= 0; m--) world.add('fp', m, 8, (i) => target(m * 8 + i));

    const card = only(world.detector().evaluate([]), 'credential_stuffing');

    expect(card).toMatchObject({
      scope: 'tenant',
      severity: 'high',
      title: 'Brute force on ceo@acme.example: 32 failed logins from 32 IPs in 5 min',
    });
  });

  it('opens no stuffing card when a connection is down: every user fails, but not with a wrong password', () => {
    const world = createWorld();
    world.normal(120);
    const down = (m: number) => (i: number) => ({
      connection: DB,
      ip: `198.18.0.${i + 1}`,
      user_name: `user${m * 20 + i}@acme-customers.example`,
      description: 'connect ETIMEDOUT 10.0.4.12:5432',
    });
    for (let m = 3; m >= 0; m--) world.add('f', m, 20, down(m));

    expect(brief(world.detector().evaluate([])).map((d) => d.signal)).toEqual(['failed_logins']);
  });

  it('needs 20 distinct users: 19 tried twice each stay quiet, 20 open a medium card', () => {
    for (const [users, expected] of [
      [19, []],
      [20, ['medium']],
    ] as const) {
      const world = createWorld();
      world.normal(120);
      attack(world, 'fcoa', users, 10, 2);
      // 38 failures are about 5× the connection's usual rate: the failed-login rule may speak; the
      // stuffing rule must not below 20 users.
      const severities = brief(world.detector().evaluate([]))
        .filter((d) => d.signal === 'credential_stuffing')
        .map((d) => d.severity);
      expect(severities, `${users} users`).toEqual(expected);
    }
  });

  it('keeps one card for one attack: an open incident is updated whatever shape the attack takes next', () => {
    const world = createWorld();
    world.normal(120);
    attack(world, 'fepft', 40, 1);
    const open = [{ signal: 'credential_stuffing', scope: 'tenant', severity: 'high' as const }];

    expect(brief(world.detector().evaluate(open))).toEqual([
      expect.objectContaining({ kind: 'update', signal: 'credential_stuffing', scope: 'tenant' }),
    ]);
  });

  it('recovers an IP-scoped stuffing incident once failed logins are back to normal for 15 minutes', () => {
    const world = createWorld();
    world.normal(140);
    attack(world, 'fepft', 40, 1);
    const open = [{ signal: 'credential_stuffing', scope: 'ip:203.0.113.10', severity: 'medium' as const }];

    expect(brief(world.detector({ now: () => later(10) }).evaluate(open))).toEqual([]);
    world.normal(-1, -20);
    expect(brief(world.detector({ now: () => later(20) }).evaluate(open))).toEqual([
      { kind: 'recover', signal: 'credential_stuffing', scope: 'ip:203.0.113.10' },
    ]);
  });
});
