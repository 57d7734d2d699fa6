import type { Evidence, Suspect } from '../detection/model.js';
import type { Incident, IncidentStep, Severity } from './model.js';
import type { PageTarget } from './paging.js';
import type { CardQuiet } from './quiet.js';
import type { IncidentSummary } from './summary.js';

/** A rendered Slack message: fallback text plus Block Kit blocks (opaque to the domain). */
export interface ChatMessage {
  readonly text: string;
  readonly blocks?: readonly unknown[];
}

/** Where incident cards live: the alert channel, each card with its thread. */
export interface IncidentChat {
  post(channel: string, message: ChatMessage, threadTs?: string): Promise<{ ts: string }>;
  update(channel: string, ts: string, message: ChatMessage): Promise<void>;
  ephemeral(channel: string, user: string, message: ChatMessage): Promise<void>;
}

export type ThreadLine =
  | {
      readonly kind: 'severity_changed';
      readonly from: Severity;
      readonly to: Severity;
      readonly title: string;
    }
  | { readonly kind: 'new_suspect'; readonly suspect: Suspect }
  | { readonly kind: 'correlated'; readonly detail: string }
  | { readonly kind: 'acknowledged'; readonly by: string }
  | { readonly kind: 'escalated'; readonly by: string; readonly group: string | undefined }
  | { readonly kind: 'resolved'; readonly by: string }
  | { readonly kind: 'auto_resolved'; readonly reason: string }
  | {
      readonly kind: 'reminder';
      readonly minutes: number;
      readonly group: string | undefined;
      /** Mentioned when no group is configured: each operator (docs/on-call.md). */
      readonly operators?: readonly string[];
    }
  /** An acknowledged high incident, still open: its owner is reminded (docs/on-call.md). */
  | { readonly kind: 'owner_reminder'; readonly owner: string; readonly minutes: number }
  | { readonly kind: 'took_over'; readonly by: string; readonly from: string | null }
  /** Escalated from the modal, to a named person or group (or the on-call group by default). */
  | {
      readonly kind: 'paged';
      readonly by: string;
      readonly target: PageTarget | undefined;
      readonly note: string | undefined;
    }
  /** An operator set the severity. */
  | {
      readonly kind: 'severity_set';
      readonly by: string;
      readonly from: Severity;
      readonly to: Severity;
      readonly reason: string | undefined;
    }
  /** `eventId`: the note's timeline row, which also keeps two notes in one instant apart. */
  | { readonly kind: 'note'; readonly by: string; readonly text: string; readonly eventId: number }
  /** Which JWKS-refresh hooks acknowledged a key change (src/core/jwks-hooks/). */
  | { readonly kind: 'jwks_hooks'; readonly summary: string }
  /** Snoozed by a person until `until` (src/core/incidents/snooze.ts). */
  | { readonly kind: 'snoozed'; readonly by: string; readonly until: string }
  /** A snooze ended: woken by a person, or its time was up; `by` is who had snoozed it or woke it. */
  | { readonly kind: 'snooze_ended'; readonly why: 'woken' | 'expired'; readonly by: string }
  /** A snooze ended early because the severity rose. */
  | {
      readonly kind: 'woke_on_severity';
      readonly from: Severity;
      readonly to: Severity;
      readonly snoozedBy: string;
    }
  /** Once per incident, right after it is resolved (by hand or automatically): src/core/incidents/summary.ts. */
  | { readonly kind: 'summary'; readonly summary: IncidentSummary };

/** Pure rendering, implemented by the Slack block builders. */
export interface IncidentRenderer {
  card(
    incident: Incident,
    evidence: Evidence,
    steps: readonly IncidentStep[],
    now: Date,
    /** Snoozed or in a maintenance window (src/core/incidents/quiet.ts); absent when neither. */
    quiet?: CardQuiet,
  ): ChatMessage;
  thread(line: ThreadLine, incident: Incident, now: Date): ChatMessage;
}

/** Who may run steps and resolve: SLACK_OPERATORS and members of SLACK_OPERATOR_GROUP. */
export interface OperatorDirectory {
  isOperator(userId: string): Promise<boolean>;
}
