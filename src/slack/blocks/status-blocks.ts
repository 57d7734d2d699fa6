import type { KnownBlock, SectionBlock } from '@slack/types';
import type { StatusLevel, StatusSection } from '../../core/status/model.js';
import type { CommandReply } from './help-blocks.js';
import { slackDate } from './incident-format.js';
import { escapeMrkdwn, truncate, LIMITS } from './text.js';

const levelEmoji: Record<StatusLevel, string> = {
  ok: ':large_green_circle:',
  warn: ':large_yellow_circle:',
  error: ':red_circle:',
  info: ':white_circle:',
};

const worst = (section: StatusSection): StatusLevel => {
  const order: StatusLevel[] = ['error', 'warn', 'ok', 'info'];
  return order.find((l) => section.items.some((i) => i.level === l)) ?? 'info';
};

const sectionBlocks = (section: StatusSection): SectionBlock[] => {
  const fields = section.items.map((item) => ({
    type: 'mrkdwn' as const,
    text: truncate(
      `${levelEmoji[item.level]} *${escapeMrkdwn(item.label)}*\n${escapeMrkdwn(item.value)}${item.at === undefined ? '' : ` (${slackDate(item.at)})`}`,
      LIMITS.fieldText,
    ),
  }));
  const blocks: SectionBlock[] = [];
  // A section holds at most 10 fields; a long section continues in the next block.
  for (let i = 0; i < Math.max(fields.length, 1); i += LIMITS.fields) {
    blocks.push({
      type: 'section',
      ...(i === 0
        ? {
            text: {
              type: 'mrkdwn',
              text: truncate(
                `${levelEmoji[worst(section)]} *${escapeMrkdwn(section.title)}*`,
                LIMITS.sectionText,
              ),
            },
          }
        : {}),
      ...(fields.length > 0 ? { fields: fields.slice(i, i + LIMITS.fields) } : {}),
    });
  }
  return blocks;
};

export const statusReply = (sections: readonly StatusSection[], generatedAt: Date): CommandReply => {
  const divider: KnownBlock = { type: 'divider' };
  const body: KnownBlock[] = sections.flatMap((s) => [...sectionBlocks(s), divider]);
  const context = (text: string): KnownBlock => ({ type: 'context', elements: [{ type: 'mrkdwn', text }] });
  // Header + context take two blocks; keep within the 50-block message limit, saying so.
  const room = LIMITS.messageBlocks - 3;
  const clipped = body.length > room;
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: 'auth0-oncall status' } },
    ...body.slice(0, room),
    ...(clipped ? [context('… more sections not shown')] : []),
    context(`as of ${slackDate(generatedAt, '{date_short_pretty} {time_secs}')}`),
  ];
  const text = sections
    .map((s) => `${s.title}: ${s.items.map((i) => `${i.label} ${i.value}`).join(', ')}`)
    .join('\n');
  return {
    response_type: 'ephemeral',
    text: truncate(`auth0-oncall status\n${text}`, LIMITS.sectionText),
    blocks,
  };
};
