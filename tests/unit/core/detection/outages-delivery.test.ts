import { describe, expect, it } from 'vitest';
import type { Decision } from '../../../../src/core/detection/model.js';
import { brief, createWorld, later, NOW, only } from './world.js';

/** Mail and SMS not delivered, custom domains failing verification, and the daily deprecation digest. */

const fn = (i: number) => ({
  description: 'Unable to send email',
  client_name: '',
  ip: '',
  details: {
    email_type: 'verify_email',
    notification_type: 'email',
    to: `customer${i}@acme-customers.example`,
    error: 'SendGrid: The provided authorization grant is invalid, expired, or revoked',
  },
});
const smsFailure = (i: number) => ({
  user_id: `auth0|user${i}`,
  user_name: `user${i}@acme-customers.example`,
  ip: `198.51.100.${i + 1}`,
  description: 'Error sending SMS',
  details: { provider_error: { errorCode: '20003', message: 'Twilio: Authenticate' } },
});
const DOMAIN = 'login.acme.example';
const domainFailure = {
  description: 'Custom domain verification failed',
  details: {
    custom_domain_id: 'cd_2bY5sQvHf3',
    domain: DOMAIN,
    status: 'failed',
    type: 'auth0_managed_certs',
    errorMsg: 'The CNAME record for login.acme.example does not point to acme-cd-2by5.edge.tenants.auth0.com',
  },
};
const depnote = (feature: string) => ({
  client_id: 'WebApp0000000000000001',
  client_name: 'acme-web',
  ip: '198.51.100.7',
  description: `${feature} is deprecated`,
  details: {
    feature: {
      id: feature.toLowerCase().replaceAll(' ', '_'),
      name: feature,
      description: `${feature} will be removed`,
      documentation: 'https://auth0.com/docs/troubleshoot/product-lifecycle/deprecations-and-migrations',
    },
  },
});

const opened = (decisions: readonly Decision[]) => brief(decisions).filter((d) => d.kind !== 'recover');

describe('mail and SMS not delivered', () => {
  it('opens one medium card for 30 failed emails beside ordinary traffic', () => {
    const world = createWorld();
    world.normal(120);
    for (const m of [3, 2, 1]) world.add('fn', m, 10, fn);
    const decisions = world.detector().evaluate([]);
    expect(opened(decisions)).toEqual([
      {
        kind: 'open',
        signal: 'notification_failures',
        scope: 'tenant',
        severity: 'medium',
        title: 'Emails not delivered: 30 failed in 5 min',
      },
    ]);
    expect(only(decisions, 'notification_failures').evidence.topReasons?.[0]).toEqual({
      value: 'email — SendGrid: The provided authorization grant is invalid, expired, or revoked',
      count: 30,
    });
  });

  it.each([
    { failures: 4, expected: [] },
    { failures: 5, expected: ['medium'] },
    { failures: 49, expected: ['medium'] },
    { failures: 50, expected: ['high'] },
  ])('$failures failed emails: $expected', ({ failures, expected }) => {
    const world = createWorld();
    world.normal(60);
    world.add('fn', 1, failures, fn);
    expect(opened(world.detector().evaluate([])).map((d) => d.severity)).toEqual(expected);
  });

  it('is high when the SMS provider fails MFA codes: those users cannot log in', () => {
    const world = createWorld();
    world.normal(60);
    world.add('gd_send_sms_failure', 1, 3, smsFailure);
    world.add('fn', 1, 2, fn);
    const card = only(world.detector().evaluate([]), 'notification_failures');
    expect(card).toMatchObject({
      severity: 'high',
      title: 'MFA SMS codes and emails not delivered: 5 failed in 5 min, MFA logins blocked',
    });
    expect(card.evidence.summary).toMatch(/3 MFA codes could not be sent/);
  });

  it('stays medium with 2 failed MFA codes among 5 failures (the MFA bound)', () => {
    const world = createWorld();
    world.normal(60);
    world.add('gd_send_sms_failure', 1, 2, smsFailure);
    world.add('fn', 1, 3, fn);
    expect(only(world.detector().evaluate([]), 'notification_failures').severity).toBe('medium');
  });
});

describe('the emails-not-sent sequence: depnote, a custom domain failing verification, 30 fn', () => {
  it('opens the email card naming the domain as related, the domain card, and a low digest', () => {
    const world = createWorld();
    world.normal(120);
    world.add('depnote', 4, 1, depnote('Legacy Lock API'));
    world.add('custom_domain_verification_failed', 4, 1, domainFailure);
    for (const m of [3, 2, 1]) world.add('fn', m, 10, fn);
    const decisions = world.detector().evaluate([]);
    expect(opened(decisions)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ signal: 'notification_failures', scope: 'tenant', severity: 'medium' }),
        {
          kind: 'open',
          signal: 'custom_domain',
          scope: `domain:${DOMAIN}`,
          severity: 'medium',
          title: `Custom domain ${DOMAIN} failed verification`,
        },
        expect.objectContaining({ signal: 'deprecation_notices', scope: 'day:2026-03-10', severity: 'low' }),
      ]),
    );
    expect(opened(decisions)).toHaveLength(3);
    expect(only(decisions, 'notification_failures').evidence.summary).toMatch(
      `Related: custom domain ${DOMAIN} failed verification at 11:56 UTC`,
    );
  });
});

describe('custom domain failing verification', () => {
  it('updates the card the custom-domain watcher opened instead of opening a second one', () => {
    const world = createWorld();
    world.add('custom_domain_verification_failed', 1, 1, domainFailure);
    const watcherCard = [{ signal: 'custom_domain', scope: `domain:${DOMAIN}`, severity: 'high' as const }];
    expect(brief(world.detector().evaluate(watcherCard))).toEqual([
      expect.objectContaining({ kind: 'update', signal: 'custom_domain', scope: `domain:${DOMAIN}` }),
    ]);
  });

  it('is never resolved by quiet logs: the watcher (or a person) resolves it', () => {
    const world = createWorld();
    world.add('custom_domain_verification_failed', 1, 1, domainFailure);
    const open = [{ signal: 'custom_domain', scope: `domain:${DOMAIN}`, severity: 'medium' as const }];
    expect(world.detector({ now: () => later(60) }).evaluate(open)).toEqual([]);
  });

  it('keeps the verification error as the reason on the card', () => {
    const world = createWorld();
    world.add('custom_domain_verification_failed', 1, 1, domainFailure);
    expect(only(world.detector().evaluate([]), 'custom_domain').evidence.topReasons?.[0]?.value).toMatch(
      /^The CNAME record for login.acme.example/,
    );
  });
});

describe('the deprecation digest', () => {
  const DIGEST = 'day:2026-03-10';

  it('opens one low digest for the day, and a second notice that day updates it', () => {
    const world = createWorld();
    world.normal(60);
    world.add('depnote', 1, 1, depnote('Legacy Lock API'));
    expect(brief(world.detector().evaluate([]))).toEqual([
      {
        kind: 'open',
        signal: 'deprecation_notices',
        scope: DIGEST,
        severity: 'low',
        title: 'Deprecation digest for 2026-03-10: 1 notice about Legacy Lock API',
      },
    ]);
    const open = [{ signal: 'deprecation_notices', scope: DIGEST, severity: 'low' as const }];
    // Hours later the same day: quiet in between, then a notice about another feature.
    expect(world.detector({ now: () => later(120) }).evaluate(open)).toEqual([]);
    world.add('depnote', -120, 1, depnote('Implicit grant response_mode'));
    expect(brief(world.detector({ now: () => later(120) }).evaluate(open))).toEqual([
      {
        kind: 'update',
        signal: 'deprecation_notices',
        scope: DIGEST,
        severity: 'low',
        title:
          'Deprecation digest for 2026-03-10: 2 notices about Implicit grant response_mode, Legacy Lock API',
      },
    ]);
  });

  it('stays low however many notices come: a digest never pages', () => {
    const world = createWorld();
    world.add('depnote', 1, 500, depnote('Legacy Lock API'));
    const digest = only(world.detector().evaluate([]), 'deprecation_notices');
    expect(digest.severity).toBe('low');
    expect(digest.evidence.summary).toMatch(/it never pages/);
  });

  it("resolves yesterday's digest once the day is over, and opens nothing without a notice", () => {
    const world = createWorld();
    const open = [{ signal: 'deprecation_notices', scope: 'day:2026-03-09', severity: 'low' as const }];
    expect(world.detector().evaluate(open)).toEqual([
      {
        kind: 'recover',
        signal: 'deprecation_notices',
        scope: 'day:2026-03-09',
        reason: 'the day is over: a new digest opens if notices continue',
      },
    ]);
    expect(NOW.toISOString().slice(0, 10)).toBe('2026-03-10');
  });
});
