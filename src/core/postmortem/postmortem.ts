import type { AuditLog } from '../audit/ports.js';
import type { IncidentStore } from '../incidents/model.js';
import type { LogStore } from '../logs/ports.js';
import { toAppError } from '../../errors.js';
import { checkDraft } from './draft.js';
import { gatherFacts } from './facts.js';
import type { PostmortemDraft, PostmortemFacts, PostmortemFiles, PostmortemWriter } from './model.js';
import { renderPostmortem, templateDraft } from './template.js';

export interface PostmortemsDeps {
  readonly incidents: Pick<IncidentStore, 'get' | 'timeline' | 'steps'>;
  readonly audit: AuditLog;
  readonly logs: Pick<LogStore, 'counts' | 'recent'>;
  /** The configured models, in order; empty without one (the template writes it all). */
  readonly writers: readonly PostmortemWriter[];
  readonly files: PostmortemFiles;
  readonly now: () => Date;
  /** A writer that takes longer is given up on (default 45 s). */
  readonly timeoutMs?: number;
  readonly onFallback?: (writer: string, reason: string) => void;
}

export type PostmortemResult =
  | { readonly kind: 'posted'; readonly incidentId: string; readonly writtenBy: string }
  | { readonly kind: 'not_found'; readonly id: string }
  | { readonly kind: 'no_thread'; readonly incidentId: string }
  | { readonly kind: 'in_progress'; readonly incidentId: string }
  | { readonly kind: 'failed'; readonly incidentId: string; readonly reason: string };

const BUILTIN = 'the built-in template';

/** The id as people paste it from the card: `inc_…`, maybe in backticks or quotes. */
const incidentIdOf = (typed: string): string => typed.trim().replace(/^[`'"#]+|[`'"]+$/g, '');

const withTimeout = async <T>(ms: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> => {
  const controller = new AbortController();
  const timer = setTimeout(() => {
    controller.abort(new Error(`no answer within ${ms} ms`));
  }, ms);
  const running = work(controller.signal);
  // The loser of the race must not become an unhandled rejection.
  running.catch(() => undefined);
  try {
    return await Promise.race([
      running,
      new Promise<never>((_, reject) => {
        controller.signal.addEventListener('abort', () => {
          reject(toAppError(controller.signal.reason));
        });
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
};

/**
 * `/auth0 postmortem <incident>`: anyone in the workspace may ask (it only reads what the alert
 * channel already saw, and posts into the incident's own thread); one at a time per incident;
 * every request audited. The file is posted whether or not the incident is resolved, and says so.
 */
export const createPostmortems = (deps: PostmortemsDeps) => {
  const writing = new Set<string>();

  const draftFor = async (facts: PostmortemFacts): Promise<{ draft: PostmortemDraft; by: string }> => {
    for (const writer of deps.writers) {
      try {
        const answer = await withTimeout(deps.timeoutMs ?? 45_000, (signal) => writer.draft(facts, signal));
        const checked = checkDraft(answer);
        if (checked.ok) return { draft: checked.draft, by: `the model (${writer.name})` };
        deps.onFallback?.(writer.name, `unusable draft: ${checked.reason}`);
      } catch (error) {
        deps.onFallback?.(writer.name, toAppError(error).message.slice(0, 300));
      }
    }
    return { draft: templateDraft(facts), by: BUILTIN };
  };

  const write = async (user: string, typedId: string): Promise<PostmortemResult> => {
    const id = incidentIdOf(typedId);
    const incident = /^[A-Za-z0-9_-]{1,64}$/.test(id) ? deps.incidents.get(id) : null;
    const audit = (outcome: 'success' | 'denied' | 'duplicate' | 'failure', summary: string, detail = {}) =>
      deps.audit.append({
        at: deps.now().toISOString(),
        actor: user,
        action: 'incident.postmortem',
        outcome,
        incidentId: incident?.id ?? null,
        summary: summary.slice(0, 500),
        detail,
      });
    if (!incident) {
      audit('denied', 'no such incident');
      return { kind: 'not_found', id };
    }
    if (!incident.slackChannel || !incident.slackTs) {
      audit('denied', 'the incident has no card to post under');
      return { kind: 'no_thread', incidentId: incident.id };
    }
    if (writing.has(incident.id)) {
      audit('duplicate', 'a postmortem for it is being written');
      return { kind: 'in_progress', incidentId: incident.id };
    }
    writing.add(incident.id);
    try {
      const facts = gatherFacts(deps, incident, deps.now());
      const { draft, by } = await draftFor(facts);
      const content = renderPostmortem(facts, draft, by);
      await deps.files.upload({
        channel: incident.slackChannel,
        threadTs: incident.slackTs,
        filename: `postmortem-${incident.id}.md`,
        title: `Postmortem ${incident.id}`,
        content,
        comment: `:page_facing_up: Postmortem of \`${incident.id}\`, requested by ${/^[UW][A-Z0-9]{2,20}$/.test(user) ? `<@${user}>` : 'someone'} (written by ${by}).`,
      });
      audit('success', `postmortem posted (written by ${by})`, {
        writtenBy: by,
        bytes: Buffer.byteLength(content),
      });
      return { kind: 'posted', incidentId: incident.id, writtenBy: by };
    } catch (error) {
      const reason = toAppError(error).message.slice(0, 300);
      audit('failure', `postmortem not posted: ${reason}`);
      return { kind: 'failed', incidentId: incident.id, reason };
    } finally {
      writing.delete(incident.id);
    }
  };
  return { write };
};
