import { AppError } from '../../errors.js';
import type { ActionCatalog, CatalogEntry } from '../actions/action.js';
import type { Evidence } from '../detection/model.js';
import type { Incident } from '../incidents/model.js';
import {
  isActionName,
  type ProposedStep,
  type Runbook,
  type RunbookProviderName,
  type RunbookRequest,
  type RunbookWriter,
} from './model.js';
import { proposedStep, runbookEnvelope } from './runbook-schema.js';

/**
 * The runbook generation chain (docs/decisions/0005-built-in-runbooks-as-the-last-writer.md): each writer in order (Bedrock → Anthropic → built-in),
 * each under a deadline. A writer's output is untrusted: it is parsed with zod, and every proposed
 * action must name a catalog entry whose own schema accepts the parameters and whose `check`
 * accepts them for this incident. Anything else is dropped, never shown as a button. A writer that
 * throws, times out or leaves no valid step hands over to the next; the card always gets a runbook.
 */

interface RunbookContext {
  /** The server-side incident record the actions' `check` judges parameters against. */
  readonly incident: Incident;
  readonly evidence: Evidence;
  /** Shutdown: writers are abandoned, the last-resort runbook is returned. */
  readonly signal?: AbortSignal;
}

export interface RunbookChainOptions {
  /** In order of preference; the built-in writer last. */
  readonly writers: readonly RunbookWriter[];
  readonly catalog: ActionCatalog;
  /** Per writer, including the checks of its proposals. */
  readonly timeoutMs: number;
  readonly now: () => Date;
  /**
   * A proposed step that was removed. The reason repeats no model text but an identifier-like
   * action name and parameter values that passed the action's own schema: safe to log.
   */
  readonly onDropped?: (reason: string, writer: RunbookProviderName) => void;
  /** A writer that produced nothing usable; the next one is asked. */
  readonly onFallback?: (writer: RunbookProviderName, reason: string) => void;
}

export interface RunbookChain {
  write(request: RunbookRequest, ctx: RunbookContext): Promise<Runbook>;
}

/** When every writer failed, even the built-in one (a bug): the card still says what to do. */
const LAST_RESORT: readonly ProposedStep[] = [
  {
    kind: 'guidance',
    title: 'Read the evidence on this card',
    body:
      'No runbook could be written for this incident. Use the numbers above (top clients, IPs, ' +
      'connections, suspects) to find what changed, then check the Auth0 dashboard: Monitoring → Logs.',
  },
  {
    kind: 'guidance',
    title: 'Escalate if you are unsure',
    body: 'Press Escalate to bring in the escalation group; nothing is changed until someone acts.',
  },
];

const SAFE_NAME = /^[a-z0-9_]{1,64}$/;
const safeName = (name: string): string => (SAFE_NAME.test(name) ? name : '(unreadable name)');

const reasonOf = (error: unknown): string => {
  if (error instanceof AppError) return `${error.code}: ${error.message}`;
  return error instanceof Error ? `unexpected ${error.name}` : 'unexpected failure';
};

/**
 * Runs `work` until it settles or `controller` aborts (the deadline, or the caller's cancel),
 * whichever comes first. A writer that settles later must not become an unhandled rejection.
 */
const untilAborted = async <T>(work: Promise<T>, controller: AbortController): Promise<T> => {
  work.catch(() => undefined);
  let onAbort = (): void => undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => {
      reject(controller.signal.reason as Error);
    };
    if (controller.signal.aborted) onAbort();
    else controller.signal.addEventListener('abort', onAbort, { once: true });
  });
  aborted.catch(() => undefined);
  try {
    return await Promise.race([work, aborted]);
  } finally {
    controller.signal.removeEventListener('abort', onAbort);
  }
};

/** Only the parameters the catalog entry declares are kept: nothing else reaches the step record. */
const declaredParams = (entry: CatalogEntry, params: Record<string, unknown>): Record<string, unknown> => {
  const properties = entry.paramsJsonSchema.properties;
  if (typeof properties !== 'object' || properties === null) return params;
  const declared = new Set(Object.keys(properties));
  return Object.fromEntries(Object.entries(params).filter(([key]) => declared.has(key)));
};

type Checked =
  { readonly ok: true; readonly step: ProposedStep } | { readonly ok: false; readonly reason: string };

export const createRunbookChain = (options: RunbookChainOptions): RunbookChain => {
  const { writers, catalog, timeoutMs, now } = options;

  const checkStep = async (raw: unknown, index: number, ctx: RunbookContext): Promise<Checked> => {
    const parsed = proposedStep.safeParse(raw);
    if (!parsed.success) return { ok: false, reason: `step ${index + 1} is malformed` };
    const step = parsed.data;
    if (step.kind === 'guidance') return { ok: true, step };
    const entry = isActionName(step.action) ? catalog.get(step.action) : undefined;
    if (!entry) {
      return {
        ok: false,
        reason: `step ${index + 1} proposes ${safeName(step.action)}, which is not in the catalog`,
      };
    }
    const params = declaredParams(entry, step.params);
    const bound = entry.bind(params);
    if (!bound.ok) return { ok: false, reason: `step ${index + 1} (${entry.name}): ${bound.problem}` };
    const problem = await bound.action.check({ incident: ctx.incident, evidence: ctx.evidence, now: now() });
    if (problem !== undefined) return { ok: false, reason: `step ${index + 1} (${entry.name}): ${problem}` };
    return { ok: true, step: { ...step, action: entry.name, params } };
  };

  /** Steps that survive, or why the output is unusable. */
  const vet = async (
    raw: unknown,
    writer: RunbookProviderName,
    ctx: RunbookContext,
  ): Promise<{ steps: ProposedStep[]; dropped: number } | { problem: string }> => {
    const envelope = runbookEnvelope.safeParse(raw);
    if (!envelope.success) return { problem: 'its output is not a runbook (expected 1–12 steps)' };
    const steps: ProposedStep[] = [];
    let dropped = 0;
    for (const [index, candidate] of envelope.data.steps.entries()) {
      let checked: Checked;
      try {
        checked = await checkStep(candidate, index, ctx);
      } catch (error) {
        checked = { ok: false, reason: `step ${index + 1}: its check failed (${reasonOf(error)})` };
      }
      if (checked.ok) {
        steps.push(checked.step);
      } else {
        dropped += 1;
        options.onDropped?.(checked.reason, writer);
      }
    }
    return steps.length > 0 ? { steps, dropped } : { problem: 'none of its steps were usable' };
  };

  const attempt = async (
    writer: RunbookWriter,
    request: RunbookRequest,
    ctx: RunbookContext,
  ): Promise<Runbook> => {
    if (ctx.signal?.aborted) throw new AppError('cancelled', 'runbook writing was cancelled');
    const controller = new AbortController();
    const cancel = () => {
      controller.abort(new AppError('cancelled', 'runbook writing was cancelled'));
    };
    const timer = setTimeout(() => {
      controller.abort(
        new AppError('timeout', `the ${writer.name} runbook writer took longer than ${timeoutMs} ms`),
      );
    }, timeoutMs);
    ctx.signal?.addEventListener('abort', cancel, { once: true });
    try {
      const work = (async () => {
        const raw = await writer.write(request, controller.signal);
        return vet(raw, writer.name, ctx);
      })();
      const result = await untilAborted(work, controller);
      if ('problem' in result) throw new AppError('invalid_input', `${writer.name}: ${result.problem}`);
      return { provider: writer.name, steps: result.steps, dropped: result.dropped };
    } finally {
      clearTimeout(timer);
      ctx.signal?.removeEventListener('abort', cancel);
    }
  };

  return {
    async write(request, ctx) {
      for (const writer of writers) {
        try {
          return await attempt(writer, request, ctx);
        } catch (error) {
          options.onFallback?.(writer.name, reasonOf(error));
        }
      }
      return { provider: 'builtin', steps: LAST_RESORT, dropped: 0 };
    },
  };
};
