/**
 * What the sandbox can do to the fake tenant, one click (or `--scenario <name>`) each. Every
 * scenario changes only the fakes, the way the real incident would show up: log entries, a
 * rotated key, a secret changed in Secrets Manager, a certificate status, an outage. The app sees
 * it through its own poller and watchers, exactly as it would see the real tenant.
 */
import { randomBytes } from 'node:crypto';
import { cloudEvent, eventBridgeEnvelope, userObject, type FakeAuth0 } from '@auth0-oncall/fakes/auth0';
import type { FakeSecretsManager, FakeSqs } from '@auth0-oncall/fakes/aws';
import { waitFor } from '@auth0-oncall/fakes/slack';
import type { SandboxHookReceiver } from './hook-receiver.js';

export interface SandboxTenant {
  auth0: FakeAuth0;
  secrets: FakeSecretsManager;
  /** The M2M client whose secret lives in Secrets Manager (a rotation target). */
  billing: { clientId: string; name: string; secretName: string };
  customDomainId: string;
  officeIp: string;
  /** How often the app's watchers look, for the explanations. */
  watchIntervalSeconds: number;
  /** The pretend APIs the app tells of signing-key changes (JWKS_REFRESH_WEBHOOKS). */
  hooks: Pick<SandboxHookReceiver, 'received'>;
  /** Auth0 Event Streams: the app's webhook and the EventBridge → SQS queue it consumes. */
  eventStreams: { webhookUrl: string; token: string; sqs: FakeSqs; queueUrl: string };
}

/** How long the signing-key scenario waits for the app to notify the pretend APIs. */
const HOOK_WAIT_MS = 20_000;

/** Waits for both pretend APIs to hear of a change after `since`, and says what they got. */
const hookDeliveries = async (hooks: SandboxTenant['hooks'], since: Date): Promise<string> => {
  const fresh = () => hooks.received().filter((h) => h.at >= since);
  try {
    await waitFor(() => (new Set(fresh().map((h) => h.api)).size >= 2 ? true : undefined), {
      timeoutMs: HOOK_WAIT_MS,
    });
  } catch {
    return ' The JWKS-refresh hooks have not arrived yet: the app retries them, and the card’s thread will say.';
  }
  const got = fresh()
    .map(
      (h) =>
        `${h.api} (${h.event}, kid ${h.kid ?? '?'}, signature ${h.signatureValid ? 'valid' : 'INVALID'})`,
    )
    .join(', ');
  return ` JWKS-refresh hooks received by ${got}; the card’s thread says which acknowledged.`;
};

/** Delivers CloudEvents to the app's webhook as Auth0 does: batches, bearer authorization. */
const deliver = async (tenant: SandboxTenant, events: readonly unknown[]): Promise<number> => {
  let accepted = 0;
  for (let i = 0; i < events.length; i += 25) {
    const res = await fetch(tenant.eventStreams.webhookUrl, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${tenant.eventStreams.token}`,
        'content-type': 'application/cloudevents-batch+json',
      },
      body: JSON.stringify(events.slice(i, i + 25)),
    });
    if (!res.ok) throw new Error(`the app answered ${String(res.status)} to an Event Streams delivery`);
    accepted += ((await res.json()) as { accepted: number }).accepted;
  }
  return accepted;
};

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);

export interface Scenario {
  name: string;
  title: string;
  explanation: string;
  run(tenant: SandboxTenant): Promise<string> | string;
}

export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'failed-login-spike',
    title: 'Failed-login spike',
    explanation:
      'Most logins on Username-Password-Authentication fail (wrong password / unknown user) for 5 minutes; a card appears within seconds.',
    run: ({ auth0 }) => {
      const entries = auth0.traffic.failedLoginSpike({ perMinute: 120, minutes: 5, ratio: 0.85 });
      return `Appended ${entries.length} login entries, 85 % of them failed, dated over the last 5 minutes.`;
    },
  },
  {
    name: 'm2m-secret-broken',
    title: 'M2M secret broken',
    explanation:
      'Someone put a new secret for the billing worker into Secrets Manager that Auth0 never got; its token requests fail (feccft).',
    run: ({ auth0, secrets, billing }) => {
      const current = auth0.clients.get(billing.clientId)?.secret;
      if (current === undefined) throw new Error(`the sandbox tenant has no client ${billing.clientId}`);
      const stages = secrets.stagesOf(billing.secretName);
      const alreadyBroken = Object.values(stages).some((s) => s.includes('AWSPREVIOUS'));
      if (!alreadyBroken) {
        const currentVersion = Object.entries(stages).find(([, s]) => s.includes('AWSCURRENT'))?.[0];
        secrets.putVersion(billing.secretName, `rotated-elsewhere-${randomBytes(24).toString('hex')}`, [
          'AWSCURRENT',
        ]);
        if (currentVersion !== undefined)
          secrets.putVersion(billing.secretName, current, ['AWSPREVIOUS'], currentVersion);
      }
      const entries = auth0.traffic.m2mSecretBroken(billing.clientId, { perMinute: 30, minutes: 3 });
      return `${billing.secretName} now holds a secret Auth0 does not know; appended ${entries.length} failed token exchanges for ${billing.name}.`;
    },
  },
  {
    name: 'signing-key-rotation',
    title: 'Signing key rotated, then token failures',
    explanation:
      'The application signing key is really rotated (a sapi entry), then code exchanges fail (feacft, "Unauthorized"): the rotation gets its own card, whose thread says which of the two pretend APIs acknowledged the signed JWKS-refresh hook; each failing app gets a card that lists the rotation as a suspect, not as the cause ("Unauthorized" is not a signature or key error).',
    run: async ({ auth0, hooks }) => {
      const since = new Date();
      const entries = await auth0.traffic.signingKeyRotatedThenFailures({ perMinute: 25, minutes: 4 });
      const delivered = await hookDeliveries(hooks, since);
      return `Rotated the signing key and appended ${entries.length - 1} failed code exchanges after it.${delivered}`;
    },
  },
  {
    name: 'rate-limit',
    title: 'Rate limit exhausted',
    explanation:
      'A worker (acme-sync-worker) keeps hitting the Management API limit: api_limit_warning and api_limit entries every minute for 5 minutes.',
    run: ({ auth0 }) => {
      // A worker of the tenant's, never the bot's own client: its own calls are not a problem to page on.
      const entries = auth0.traffic.apiLimit({ minutes: 5, perMinute: 6, clientName: 'acme-sync-worker' });
      return `Appended ${entries.length} rate-limit entries over the last 5 minutes.`;
    },
  },
  {
    name: 'attack-protection',
    title: 'Attack protection blocks the office IP',
    explanation:
      'Brute-force protection blocks one IP (the office) after failed logins into many accounts (limit_mu); everyone behind it is locked out.',
    run: ({ auth0, officeIp }) => {
      const entries = auth0.traffic.attackProtection({ ip: officeIp, code: 'limit_mu', count: 60 });
      return `Blocked ${officeIp} in the tenant and appended ${entries.length} limit_mu entries.`;
    },
  },
  {
    name: 'cert-renewal-failing',
    title: 'Certificate renewal failing',
    explanation:
      'The custom domain’s managed certificate fails to renew and expires in 5 days; the watcher sees it on its next look.',
    run: ({ auth0, customDomainId, watchIntervalSeconds }) => {
      const domain = auth0.customDomains.setCertificate(customDomainId, {
        status: 'renewing_failed',
        error_msg: 'CAA record for the domain forbids the certificate authority',
        renews_before: new Date(Date.now() + 5 * 86_400_000).toISOString(),
      });
      return `${domain.domain}: renewal failing; the app looks every ${watchIntervalSeconds} s.`;
    },
  },
  {
    name: 'event-streams',
    title: 'Mass deletion and blocking (Event Streams)',
    explanation:
      'Auth0 Event Streams deliver 40 user.deleted and 37 user.updated (blocked) events to the webhook within minutes: cards for mass deletion and mass blocking appear.',
    run: async (tenant) => {
      const run = randomBytes(3).toString('hex');
      const deleted = Array.from({ length: 40 }, (_, i) =>
        cloudEvent('user.deleted', userObject(`auth0|del-${run}-${String(i)}`), {
          domain: tenant.auth0.domain,
          time: minutesAgo(i % 8),
        }),
      );
      const blocked = Array.from({ length: 37 }, (_, i) =>
        cloudEvent('user.updated', userObject(`auth0|blk-${run}-${String(i)}`, { blocked: true }), {
          domain: tenant.auth0.domain,
          time: minutesAgo(i % 8),
        }),
      );
      const accepted = await deliver(tenant, [...deleted, ...blocked]);
      // At least once: Auth0 may deliver again; the app counts each event once.
      const again = await deliver(tenant, deleted.slice(0, 10));
      return `Delivered ${String(accepted)} events to the webhook (${String(again)} new of 10 redelivered).`;
    },
  },
  {
    name: 'signup-burst-eventbridge',
    title: 'Sign-up burst (Event Streams via EventBridge → SQS)',
    explanation:
      '80 user.created events through one connection arrive on the SQS queue an EventBridge rule fills; the app consumes the queue and opens a sign-up burst card.',
    run: ({ auth0, eventStreams }) => {
      const run = randomBytes(3).toString('hex');
      for (let i = 0; i < 80; i += 1) {
        const event = cloudEvent(
          'user.created',
          userObject(`auth0|new-${run}-${String(i)}`, { connection: 'Username-Password-Authentication' }),
          { domain: auth0.domain, time: minutesAgo(i % 5) },
        );
        eventStreams.sqs.send(eventStreams.queueUrl, JSON.stringify(eventBridgeEnvelope(event)));
      }
      return 'Put 80 user.created events on the SQS queue (EventBridge envelopes).';
    },
  },
  {
    name: 'auth0-down',
    title: 'Auth0 down',
    explanation:
      'Every Auth0 request answers 503: the app’s breaker opens and it says it cannot reach Auth0. Run "Auth0 back up" to end it.',
    run: ({ auth0 }) => {
      auth0.outage({ status: 503 });
      return 'Auth0 answers 503 to everything until "Auth0 back up".';
    },
  },
  {
    name: 'auth0-back-up',
    title: 'Auth0 back up',
    explanation: 'Ends the outage: the breaker half-opens, closes, and the incident resolves itself.',
    run: ({ auth0 }) => {
      auth0.restore();
      return 'Auth0 answers normally again.';
    },
  },
];

export const scenarioNamed = (name: string): Scenario | undefined => SCENARIOS.find((s) => s.name === name);
