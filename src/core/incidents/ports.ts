import type { Evidence, Suspect } from '../detection/model.js';
import type { Incident, IncidentStep, Severity } from './model.js';
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
  | { readonly kind: 'reminder'; readonly minutes: number; readonly group: string | undefined }
  /** Which JWKS-refresh hooks acknowledged a key change (src/core/jwks-hooks/). */
  | { readonly kind: 'jwks_hooks'; readonly summary: string }
  /** Once per incident, right after it is resolved (by hand or automatically): src/core/incidents/summary.ts. */
  | { readonly kind: 'summary'; readonly summary: IncidentSummary };

/** Pure rendering, implemented by the Slack block builders. */
export interface IncidentRenderer {
  card(incident: Incident, evidence: Evidence, steps: readonly IncidentStep[], now: Date): ChatMessage;
  thread(line: ThreadLine, incident: Incident, now: Date): ChatMessage;
}

/** Who may run steps and resolve: SLACK_OPERATORS and members of SLACK_OPERATOR_GROUP. */
export interface OperatorDirectory {
  isOperator(userId: string): Promise<boolean>;
}
