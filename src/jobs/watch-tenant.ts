import type { Tenant } from '../core/tenant/ports.js';
import type { WatcherEventSink } from '../core/watchers/model.js';
import type { WatcherName, WatcherOutcome, WatcherReadings } from '../core/watchers/ports.js';
import { evaluateCertificates, readCertificateState } from '../core/watchers/certificates.js';
import {
  evaluateCredentials,
  readCredentialState,
  type ClientCredentials,
} from '../core/watchers/credentials.js';
import { evaluateSigningKeys, readSigningKeyState } from '../core/watchers/signing-keys.js';
import type { IntervalJob } from './job.js';

export interface WatcherJobsDeps {
  readonly tenant: Pick<
    Tenant,
    'listSigningKeys' | 'fetchJwks' | 'listCustomDomains' | 'listM2mClients' | 'listClientCredentials'
  >;
  readonly readings: WatcherReadings;
  readonly sink: WatcherEventSink;
  readonly now: () => Date;
  readonly everyMs: number;
  /** Days ahead to warn about certificate renewals and credential expiry. */
  readonly warnDays: number;
  /** Credential lists fetched at once; Auth0's rate limit is per tenant, so keep it small. */
  readonly credentialConcurrency?: number;
  readonly logger?: { warn(obj: object, msg: string): void };
}

/** One watcher: fetch from the tenant, then a pure evaluation against the stored state. */
interface WatcherSpec<I, S> {
  readonly name: WatcherName;
  fetch(signal: AbortSignal): Promise<I>;
  readState(value: unknown): S | undefined;
  evaluate(previous: S | undefined, input: I, now: Date): WatcherOutcome<S>;
}

const MAX_MESSAGE = 300;

/** Adapter errors are AppErrors whose messages never carry a secret; long ones are cut for status. */
const failureSummary = (error: unknown): string => {
  const message = error instanceof Error && error.message !== '' ? error.message : 'unknown error';
  return `check failed: ${message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE)}…` : message}`;
};

const watcherJob = <I, S>(deps: WatcherJobsDeps, spec: WatcherSpec<I, S>): IntervalJob => ({
  name: `watch.${spec.name}`,
  everyMs: deps.everyMs,
  runAtStart: true,
  async run({ signal }) {
    const previous = deps.readings.get(spec.name);
    let input: I;
    try {
      input = await spec.fetch(signal);
    } catch (error) {
      // Shutting down is not a failed check. Otherwise the old state stays as it was, so the next
      // good run diffs against the last good one rather than against nothing.
      if (!signal.aborted) {
        const reading = { at: deps.now().toISOString(), ok: false, summary: failureSummary(error) };
        deps.readings.put(spec.name, { ...reading, state: previous?.state ?? null });
      }
      throw error;
    }
    const before = previous ? spec.readState(previous.state) : undefined;
    if (previous && before === undefined && previous.state !== null) {
      deps.logger?.warn(
        { event: 'watcher.state_unreadable', watcher: spec.name },
        `stored ${spec.name} state is unreadable; taking a new baseline`,
      );
    }
    const now = deps.now();
    const outcome = spec.evaluate(before, input, now);
    deps.readings.put(spec.name, { at: now.toISOString(), ...outcome.reading, state: outcome.state });
    // After the put: a sink failure loses these edges rather than repeating them on every run.
    if (outcome.events.length > 0) deps.sink.accept(outcome.events);
  },
});

/**
 * Runs `fn` over `items` at most `limit` at a time; results keep the input order. The first failure stops
 * new calls and aborts the ones in flight: a partial list must not be evaluated as the whole.
 */
const mapBounded = async <T, R>(
  items: readonly T[],
  limit: number,
  signal: AbortSignal,
  fn: (item: T, signal: AbortSignal) => Promise<R>,
): Promise<R[]> => {
  const failed = new AbortController();
  const linked = AbortSignal.any([signal, failed.signal]);
  const results: R[] = [];
  // One shared iterator: each worker takes the next item when it is free.
  const queue = items.entries();
  const worker = async (): Promise<void> => {
    for (const [index, item] of queue) {
      linked.throwIfAborted();
      try {
        results[index] = await fn(item, linked);
      } catch (error) {
        failed.abort(error);
        throw error;
      }
    }
  };
  const workers = Math.max(1, Math.min(Math.floor(limit) || 1, items.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return results;
};

const fetchClientCredentials = async (
  deps: WatcherJobsDeps,
  signal: AbortSignal,
): Promise<ClientCredentials[]> => {
  const clients = await deps.tenant.listM2mClients(signal);
  // Only clients authenticating with private_key_jwt have credentials that can expire (secrets never do).
  const keyed = clients.filter((c) => c.activeCredentialIds.length > 0);
  const lists = await mapBounded(keyed, deps.credentialConcurrency ?? 4, signal, (c, s) =>
    deps.tenant.listClientCredentials(c.clientId, s),
  );
  return keyed.map((client, i) => ({ client, credentials: lists[i] ?? [] }));
};

/** The three tenant watchers: signing keys, certificates, credentials. */
export const createWatcherJobs = (deps: WatcherJobsDeps): IntervalJob[] => {
  const options = { warnDays: deps.warnDays };
  return [
    watcherJob(deps, {
      name: 'signing_keys',
      // Both or neither: a key list without its JWKS would look like a missing current key.
      fetch: (signal) => Promise.all([deps.tenant.listSigningKeys(signal), deps.tenant.fetchJwks(signal)]),
      readState: readSigningKeyState,
      evaluate: (previous, [keys, jwks], now) => evaluateSigningKeys(previous, keys, jwks, now),
    }),
    watcherJob(deps, {
      name: 'certificates',
      fetch: (signal) => deps.tenant.listCustomDomains(signal),
      readState: readCertificateState,
      evaluate: (previous, domains, now) => evaluateCertificates(domains, previous, now, options),
    }),
    watcherJob(deps, {
      name: 'credentials',
      fetch: (signal) => fetchClientCredentials(deps, signal),
      readState: readCredentialState,
      evaluate: (previous, clients, now) => evaluateCredentials(clients, previous, now, options),
    }),
  ];
};
