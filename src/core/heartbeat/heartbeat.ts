/**
 * The dead-man's switch (healthchecks.io, Cronitor, Better Stack): the app pings a URL every
 * minute only while it is healthy, and the service pages someone when the pings stop. So a dead
 * process, a lost Slack socket, a broken database or stalled log polling all end in a page, even
 * though the app itself can no longer say so.
 */
export interface HealthCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

export type BeatOutcome =
  | { readonly kind: 'sent' }
  | { readonly kind: 'skipped_unhealthy'; readonly failing: readonly HealthCheck[] }
  | { readonly kind: 'failed'; readonly error: unknown };

export interface HeartbeatDeps {
  readonly checks: () => readonly HealthCheck[];
  readonly ping: (signal: AbortSignal) => Promise<void>;
  readonly onBeat?: (outcome: BeatOutcome) => void;
}

export const createHeartbeat = (deps: HeartbeatDeps) => ({
  /** One tick: pings when every check passes, else stays silent so the switch fires. */
  async beat(signal: AbortSignal): Promise<BeatOutcome> {
    const failing = deps.checks().filter((c) => !c.ok);
    let outcome: BeatOutcome;
    if (failing.length > 0) outcome = { kind: 'skipped_unhealthy', failing };
    else {
      try {
        await deps.ping(signal);
        outcome = { kind: 'sent' };
      } catch (error) {
        outcome = { kind: 'failed', error };
      }
    }
    deps.onBeat?.(outcome);
    return outcome;
  },
});
