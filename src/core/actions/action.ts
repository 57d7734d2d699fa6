import type { z } from 'zod';
import type { Evidence } from '../detection/model.js';
import type { Incident } from '../incidents/model.js';
import { toJsonSchema, type JsonSchema } from '../runbooks/json-schema.js';
import type { ActionName } from '../runbooks/model.js';

/** What an action sees when it runs: the server-side incident record, never the button's value. */
export interface ActionContext {
  readonly incident: Incident;
  readonly evidence: Evidence;
  /** The Slack user who clicked (already authorized as an operator). */
  readonly actor: string;
  readonly now: Date;
  readonly signal: AbortSignal;
  /** The run's idempotency key: how an action finds its own effects again (e.g. a rotation it started). */
  readonly key: string;
  /** The run's recorded plan: written before the effects it names, read back by `recover`. */
  readonly plan: ActionPlan;
}

/** What a check sees: the incident, before anything runs (no actor, no run key yet). */
type CheckContext = Omit<ActionContext, 'actor' | 'signal' | 'key' | 'plan'>;

/**
 * What a destructive action intends to change, recorded durably (on the run's claim) before it
 * changes anything, so that `recover` completes or undoes exactly the remaining effects instead of
 * probing the tenant (docs/decisions/0001-sqlite-claims-for-exactly-once.md).
 */
interface ActionPlan {
  /** The plan an interrupted run recorded; undefined when it recorded none (or in a first run). */
  readonly recorded: unknown;
  record(plan: Readonly<Record<string, unknown>>): void;
}

export interface ActionResult {
  readonly outcome: 'success' | 'failure';
  /** One line for the thread, the card and the audit log. Never a secret. */
  readonly summary: string;
  readonly detail?: Readonly<Record<string, unknown>>;
}

/**
 * One entry of the fixed catalog (docs/decisions/0005-built-in-runbooks-as-the-last-writer.md): typed parameters, checked against the tenant and the
 * configuration before anything runs. `recover` is asked after a crash left a run unfinished: it
 * inspects the real state and reports what happened, and a mutation is never re-run blindly.
 */
export interface ActionDefinition<P = unknown> {
  readonly name: ActionName;
  readonly title: string;
  readonly description: string;
  /** Destructive actions ask for confirmation in a modal before they run. */
  readonly destructive: boolean;
  /** The one schema of its parameters: strict objects, no refinements, so its JSON Schema says the same. */
  readonly params: z.ZodType<P>;
  /** A reason the params do not fit this incident/tenant/config (e.g. an IP not in the evidence). */
  check(params: P, ctx: CheckContext): Promise<string | undefined> | string | undefined;
  run(params: P, ctx: ActionContext): Promise<ActionResult>;
  recover(params: P, ctx: ActionContext): Promise<ActionResult>;
}

/** An action with its parameters parsed: what the step runner calls. */
export interface BoundAction {
  check(ctx: CheckContext): Promise<string | undefined> | string | undefined;
  run(ctx: ActionContext): Promise<ActionResult>;
  recover(ctx: ActionContext): Promise<ActionResult>;
}

/**
 * A catalog entry with its parameter type erased: raw parameters (from the database, from a
 * writer) are parsed by the action's own schema before anything else sees them.
 */
export interface CatalogEntry {
  readonly name: ActionName;
  readonly title: string;
  readonly description: string;
  readonly destructive: boolean;
  readonly params: z.ZodType;
  /** Generated from `params` once, when the entry is made: a schema zod cannot express fails then. */
  readonly paramsJsonSchema: JsonSchema;
  bind(
    raw: unknown,
  ): { readonly ok: true; readonly action: BoundAction } | { readonly ok: false; readonly problem: string };
}

export const catalogEntry = <P>(def: ActionDefinition<P>): CatalogEntry => ({
  name: def.name,
  title: def.title,
  description: def.description,
  destructive: def.destructive,
  params: def.params,
  paramsJsonSchema: toJsonSchema(def.params),
  bind: (raw) => {
    const parsed = def.params.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return {
        ok: false,
        problem: issue ? `${issue.path.join('.') || 'params'}: ${issue.message}` : 'invalid parameters',
      };
    }
    const params = parsed.data;
    return {
      ok: true,
      action: {
        check: (ctx) => def.check(params, ctx),
        run: (ctx) => def.run(params, ctx),
        recover: (ctx) => def.recover(params, ctx),
      },
    };
  },
});

/** The catalog: every action by name. */
export type ActionCatalog = ReadonlyMap<ActionName, CatalogEntry>;
