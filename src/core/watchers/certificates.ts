import { z } from 'zod';
import type { CustomDomain } from '../tenant/ports.js';
import {
  domainScope,
  expirySeverity,
  wholeDaysLeft,
  type ExpirySeverity,
  type FailedCertificateStatus,
  type RecoveryReason,
  type WatcherEvent,
} from './model.js';
import { describeTimeLeft, type WatcherOutcome } from './ports.js';

/** The open conditions of one domain; a domain with none is not kept. */
interface DomainConditions {
  readonly expiring: ExpirySeverity | null;
  readonly renewalFailed: FailedCertificateStatus | null;
  readonly domainFailed: boolean;
}

export interface CertificateState {
  /** By domain name. */
  readonly domains: Readonly<Record<string, DomainConditions>>;
}

export interface CertificateWatchOptions {
  readonly warnDays: number;
}

const stateSchema: z.ZodType<CertificateState> = z.object({
  domains: z.record(
    z.string(),
    z.object({
      expiring: z.enum(['medium', 'high']).nullable(),
      renewalFailed: z.enum(['renewing_failed', 'provisioning_failed']).nullable(),
      domainFailed: z.boolean(),
    }),
  ),
});

export const readCertificateState = (value: unknown): CertificateState | undefined => {
  const parsed = stateSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
};

const NONE: DomainConditions = { expiring: null, renewalFailed: null, domainFailed: false };
const RANK: Readonly<Record<ExpirySeverity, number>> = { medium: 1, high: 2 };

interface Observed {
  readonly domain: CustomDomain;
  readonly conditions: DomainConditions;
  /** `renews_before`, canonical, and the ms left until it; undefined without a usable date. */
  readonly renewsBefore: string | undefined;
  readonly msLeft: number | undefined;
}

const observe = (domain: CustomDomain, now: Date, warnDays: number): Observed => {
  const cert = domain.certificate;
  const renewsAt = cert?.renewsBefore === undefined ? Number.NaN : Date.parse(cert.renewsBefore);
  const dated = !Number.isNaN(renewsAt);
  const msLeft = dated ? renewsAt - now.getTime() : undefined;
  const failed =
    cert?.status === 'renewing_failed' || cert?.status === 'provisioning_failed' ? cert.status : null;
  return {
    domain,
    renewsBefore: dated ? new Date(renewsAt).toISOString() : undefined,
    msLeft,
    conditions: {
      expiring: msLeft === undefined ? null : (expirySeverity(msLeft, warnDays) ?? null),
      renewalFailed: failed,
      domainFailed: domain.status === 'failed',
    },
  };
};

interface Transition {
  readonly name: string;
  readonly before: DomainConditions;
  readonly seen: Observed | undefined;
  readonly at: string;
  readonly warnDays: number;
}

const after = (t: Transition): DomainConditions => t.seen?.conditions ?? NONE;
const reasonOf = (t: Transition): RecoveryReason => (t.seen ? 'resolved' : 'removed');

const domainFailedEvents = (t: Transition): WatcherEvent[] => {
  const base = { at: t.at, scope: domainScope(t.name), domain: t.name };
  const now = after(t).domainFailed;
  if (now && !t.before.domainFailed) return [{ ...base, kind: 'custom_domain_failed', severity: 'high' }];
  if (!now && t.before.domainFailed) {
    return [{ ...base, kind: 'custom_domain_failed_recovered', severity: 'info', reason: reasonOf(t) }];
  }
  return [];
};

const renewalFailedEvents = (t: Transition): WatcherEvent[] => {
  const base = { at: t.at, scope: domainScope(t.name), domain: t.name };
  const now = after(t).renewalFailed;
  if (now !== null && t.before.renewalFailed === null) {
    const errorMessage = t.seen?.domain.certificate?.errorMessage ?? null;
    return [{ ...base, kind: 'certificate_renewal_failed', severity: 'high', status: now, errorMessage }];
  }
  if (now === null && t.before.renewalFailed !== null) {
    return [{ ...base, kind: 'certificate_renewal_failed_recovered', severity: 'info', reason: reasonOf(t) }];
  }
  return [];
};

const expiringEvents = (t: Transition): WatcherEvent[] => {
  const base = { at: t.at, scope: domainScope(t.name), domain: t.name };
  const now = after(t).expiring;
  const was = t.before.expiring;
  const { renewsBefore, msLeft } = t.seen ?? {};
  if (
    now !== null &&
    renewsBefore !== undefined &&
    msLeft !== undefined &&
    (was === null || RANK[now] > RANK[was])
  ) {
    const daysLeft = wholeDaysLeft(msLeft);
    return [
      { ...base, kind: 'certificate_expiring', severity: now, renewsBefore, daysLeft, warnDays: t.warnDays },
    ];
  }
  if (now === null && was !== null) {
    return [
      {
        ...base,
        kind: 'certificate_expiring_recovered',
        severity: 'info',
        renewsBefore: renewsBefore ?? null,
        reason: reasonOf(t),
      },
    ];
  }
  return [];
};

const domainEvents = (t: Transition): WatcherEvent[] => [
  ...domainFailedEvents(t),
  ...renewalFailedEvents(t),
  ...expiringEvents(t),
];

const hasConditions = (c: DomainConditions): boolean =>
  c.expiring !== null || c.renewalFailed !== null || c.domainFailed;

const summarise = (observed: readonly Observed[]): string => {
  if (observed.length === 0) return 'no custom domains';
  const named = (pick: (o: Observed) => boolean) => observed.filter(pick).map((o) => o.domain.domain);
  const parts: string[] = [];
  const failed = named((o) => o.conditions.domainFailed);
  if (failed.length > 0) parts.push(`custom domain failed (${failed.join(', ')})`);
  const renewalFailed = named((o) => o.conditions.renewalFailed !== null);
  if (renewalFailed.length > 0) parts.push(`certificate renewal failed (${renewalFailed.join(', ')})`);
  const dated = observed
    .filter((o) => o.msLeft !== undefined)
    .sort((a, b) => (a.msLeft ?? 0) - (b.msLeft ?? 0));
  const nearest = dated[0];
  if (nearest?.msLeft !== undefined) {
    const when = describeTimeLeft(nearest.msLeft);
    parts.push(
      nearest.msLeft > 0
        ? `nearest certificate renewal ${when} (${nearest.domain.domain})`
        : `certificate renewal overdue since ${when} (${nearest.domain.domain})`,
    );
  } else if (parts.length === 0) {
    parts.push('no managed certificate dates');
  }
  return parts.join('; ');
};

/**
 * Custom-domain status and managed-certificate renewal dates against the previous conditions.
 * Conditions are reported on the first run too: a certificate about to lapse matters even if the
 * bot has only just started watching it.
 */
export const evaluateCertificates = (
  domains: readonly CustomDomain[],
  previous: CertificateState | undefined,
  now: Date,
  options: CertificateWatchOptions,
): WatcherOutcome<CertificateState> => {
  const at = now.toISOString();
  const observed = new Map<string, Observed>();
  for (const d of domains)
    if (!observed.has(d.domain)) observed.set(d.domain, observe(d, now, options.warnDays));

  const before = previous?.domains ?? {};
  const names = [...new Set([...Object.keys(before), ...observed.keys()])].sort();
  const events = names.flatMap((name) =>
    domainEvents({
      name,
      before: before[name] ?? NONE,
      seen: observed.get(name),
      at,
      warnDays: options.warnDays,
    }),
  );

  const domainsState: Record<string, DomainConditions> = {};
  for (const [name, o] of observed) if (hasConditions(o.conditions)) domainsState[name] = o.conditions;
  const list = [...observed.values()];
  return {
    state: { domains: domainsState },
    events,
    reading: { ok: Object.keys(domainsState).length === 0, summary: summarise(list) },
  };
};
