import type { KnownBlock } from '@slack/types';
import type { AuditEntry } from '../../core/audit/ports.js';
import type { AuditRead } from '../../core/audit/reader.js';
import type { CommandReply } from './help-blocks.js';
import { clean, escapeWithin, untrusted, userRef } from './incident-format.js';
import { LIMITS } from './text.js';

/**
 * The `/auth0 audit [n]` reply: one line per entry, newest first. Summaries and ids can carry
 * text from a model or a forged click, so each field is cleaned, escaped and bounded; lines are
 * packed into sections under Slack's 3000 characters each, and the whole reply stays well under
 * the ~13k characters of block text at which Slack answers `msg_blocks_too_long`.
 */

const AUDIT_BOUNDS = { actor: 24, action: 32, id: 40, summary: 100, totalText: 10_000 } as const;

const outcomeEmoji: Readonly<Record<string, string>> = {
  success: ':white_check_mark:',
  failure: ':x:',
  denied: ':no_entry:',
  duplicate: ':repeat:',
  cancelled: ':heavy_multiplication_x:',
};

/** Inside a code span a backtick would end it early. */
const code = (text: string, max: number) => `\`${escapeWithin(clean(text).replace(/`/g, "'"), max)}\``;

const when = (at: string): string => {
  const ms = Date.parse(at);
  if (!Number.isFinite(ms)) return untrusted(at, 30);
  return `<!date^${Math.floor(ms / 1000)}^{date_num} {time_secs}|${new Date(ms).toISOString().slice(0, 19)}Z>`;
};

const auditLine = (entry: AuditEntry): string => {
  const actor = /^[UW][A-Z0-9]{2,20}$/.test(entry.actor) ? userRef(entry.actor) : untrusted(entry.actor, 24);
  const where = [entry.incidentId, entry.stepId]
    .filter((v): v is string => v !== null && v !== '')
    .map((v) => code(v, AUDIT_BOUNDS.id))
    .join(' / ');
  const emoji = outcomeEmoji[entry.outcome] ?? ':small_blue_diamond:';
  const parts = [
    when(entry.at),
    actor,
    code(entry.action, AUDIT_BOUNDS.action),
    `${emoji} *${entry.outcome}*`,
    ...(where === '' ? [] : [where]),
  ];
  return `${parts.join(' · ')} — ${untrusted(entry.summary, AUDIT_BOUNDS.summary)}`;
};

/** Packs lines into sections of at most 3000 characters; lines beyond the total budget are counted. */
const pack = (lines: readonly string[]): { blocks: KnownBlock[]; shown: number } => {
  const blocks: KnownBlock[] = [];
  let current: string[] = [];
  let length = 0;
  let total = 0;
  let shown = 0;
  const flush = () => {
    if (current.length > 0)
      blocks.push({ type: 'section', text: { type: 'mrkdwn', text: current.join('\n') } });
    current = [];
    length = 0;
  };
  for (const line of lines) {
    if (total + line.length > AUDIT_BOUNDS.totalText) break;
    if (length + line.length + 1 > LIMITS.sectionText) flush();
    current.push(line);
    length += line.length + 1;
    total += line.length;
    shown += 1;
  }
  flush();
  return { blocks, shown };
};

const context = (text: string): KnownBlock => ({ type: 'context', elements: [{ type: 'mrkdwn', text }] });

export const auditReply = (read: AuditRead): CommandReply => {
  if (!read.ok) {
    const text = `:no_entry: ${read.why}`;
    return {
      response_type: 'ephemeral',
      text,
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }],
    };
  }
  if (read.entries.length === 0) {
    const text = 'The audit log is empty.';
    return {
      response_type: 'ephemeral',
      text,
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }],
    };
  }
  const { blocks, shown } = pack(read.entries.map(auditLine));
  const more = read.entries.length - shown;
  const title = `Audit log: the latest ${shown} ${shown === 1 ? 'entry' : 'entries'}, newest first`;
  return {
    response_type: 'ephemeral',
    text: title,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: title } },
      ...blocks,
      ...(more > 0 ? [context(`… ${more} more did not fit; ask for fewer with \`/auth0 audit <n>\`.`)] : []),
    ],
  };
};
