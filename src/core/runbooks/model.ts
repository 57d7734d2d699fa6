import type { z } from 'zod';
import type { Evidence } from '../detection/model.js';
import type { Severity } from '../incidents/model.js';

/**
 * Runbooks (docs/decisions/0005-built-in-runbooks-as-the-last-writer.md): a list of steps, each guidance (text) or an action from the fixed catalog.
 * Writers only PROPOSE steps; what they return is untrusted until parsed and checked against the
 * catalog, and nothing a writer says ever runs by itself.
 */
export type RunbookProviderName = 'bedrock' | 'anthropic' | 'builtin';

export const ACTION_NAMES = [
  'verify_client_credentials',
  'rollback_client_secret',
  'rotate_client_credential',
  'list_signing_keys',
  'revoke_previous_signing_key',
  'unblock_ip',
  'pause_rotation',
  'resume_rotation',
  'recheck_signal',
  'resend_jwks_refresh_hooks',
] as const;
export type ActionName = (typeof ACTION_NAMES)[number];

export const isActionName = (value: string): value is ActionName =>
  (ACTION_NAMES as readonly string[]).includes(value);

export type ProposedStep =
  | { readonly kind: 'guidance'; readonly title: string; readonly body: string }
  | {
      readonly kind: 'action';
      readonly title: string;
      readonly body: string;
      readonly action: ActionName;
      readonly params: Readonly<Record<string, unknown>>;
    };

/** What a writer is told: the incident, its evidence (log-derived strings fenced by the writer), the catalog. */
export interface RunbookRequest {
  readonly incident: {
    readonly id: string;
    readonly signal: string;
    readonly scope: string;
    readonly severity: Severity;
    readonly title: string;
  };
  readonly evidence: Evidence;
  readonly actions: readonly ActionSpec[];
  /** The tenant the incident is about: runbooks name its real domain, never a placeholder. */
  readonly tenant: { readonly domain: string };
}

/** What a runbook writer may know of an incident: its identity and headline, nothing else. */
export const runbookIncidentOf = (incident: RunbookRequest['incident']): RunbookRequest['incident'] => ({
  id: incident.id,
  signal: incident.signal,
  scope: incident.scope,
  severity: incident.severity,
  title: incident.title,
});

/** One catalog action as a writer sees it. */
export interface ActionSpec {
  readonly name: ActionName;
  readonly description: string;
  readonly destructive: boolean;
  /** Its parameters: the action's own schema; a writer that needs JSON Schema generates it (json-schema.ts). */
  readonly params: z.ZodType;
}

export interface RunbookWriter {
  readonly name: RunbookProviderName;
  /** Returns the writer's raw proposal (untrusted): the chain parses and checks it. */
  write(request: RunbookRequest, signal: AbortSignal): Promise<unknown>;
}

export interface Runbook {
  readonly provider: RunbookProviderName;
  readonly steps: readonly ProposedStep[];
  /** Proposed actions that were not in the catalog or had invalid parameters (kept as guidance). */
  readonly dropped: number;
}
