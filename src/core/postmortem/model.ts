import type { Severity } from '../incidents/model.js';
import type { IncidentSummary } from '../incidents/summary.js';

/**
 * A postmortem (docs/on-call.md, "Summary and postmortem"): what the bot knows of an incident,
 * gathered from its own stores, and the narrative a writer (a model, or the built-in template)
 * adds. The facts — timeline, numbers, clients — are always ours; a model only writes prose, which
 * is validated before use.
 */

export interface TimelineEntry {
  readonly at: string;
  /** Ours, with untrusted values already inside it (the renderer escapes it). */
  readonly what: string;
}

export interface CountedItem {
  readonly name: string;
  readonly count: number;
}

export interface PostmortemImpact {
  /** The span counted: from the onset to the resolution (or now). */
  readonly from: string;
  readonly to: string;
  /** Failures per log signal (e.g. login_failure), not counting the bot's own; none for watcher signals. */
  readonly bySignal: readonly CountedItem[];
  readonly total: number;
  /** Clients and users seen in the stored failure events (a sample when `sampled`). */
  readonly clients: readonly CountedItem[];
  readonly clientCount: number;
  readonly userCount: number;
  readonly ipCount: number;
  /** True when more events failed than the store returns at once: client and user counts are "at least". */
  readonly sampled: boolean;
}

export interface PostmortemFacts {
  readonly incident: {
    readonly id: string;
    readonly title: string;
    readonly signal: string;
    readonly scope: string;
    readonly severity: Severity;
    readonly resolved: boolean;
  };
  /** Durations run to now while the incident is still open. */
  readonly summary: IncidentSummary;
  readonly timeline: readonly TimelineEntry[];
  /** Timeline entries left out to keep the file readable. */
  readonly timelineOmitted: number;
  /** Undefined for signals not counted from logs (watchers, health). */
  readonly impact: PostmortemImpact | undefined;
  /** Why the failures happened, in Auth0's words (top reasons), when known. */
  readonly reasons: readonly CountedItem[];
  readonly generatedAt: string;
}

/** The narrative parts of a postmortem: what a writer adds to the facts. */
export interface PostmortemDraft {
  readonly summary: string;
  readonly cause: string;
  readonly whatWasDone: string;
  readonly followUps: readonly string[];
}

/** A model that drafts the narrative. Its answer is untrusted: it is validated (draft.ts) before use. */
export interface PostmortemWriter {
  readonly name: string;
  draft(facts: PostmortemFacts, signal: AbortSignal): Promise<unknown>;
}

export interface PostmortemFile {
  readonly channel: string;
  readonly threadTs: string;
  readonly filename: string;
  readonly title: string;
  readonly content: string;
  /** The message the file is shared with. */
  readonly comment: string;
}

/** Where the postmortem goes: a file shared in the incident's thread. */
export interface PostmortemFiles {
  upload(file: PostmortemFile): Promise<void>;
}
