import type { KnownBlock } from '@slack/types';
import { subcommands, type SubcommandSpec } from '../command-parser.js';
import { escapeMrkdwn, truncate, LIMITS } from './text.js';

export interface CommandReply {
  response_type: 'ephemeral' | 'in_channel';
  text: string;
  blocks: KnownBlock[];
}

const commandList = (): string => subcommands.map((s) => `\`${s.usage}\` — ${s.description}`).join('\n');

export const helpReply = (version: string): CommandReply => ({
  response_type: 'ephemeral',
  text: `auth0-oncall commands:\n${subcommands.map((s) => s.usage).join('\n')}`,
  blocks: [
    { type: 'header', text: { type: 'plain_text', text: 'auth0-oncall' } },
    { type: 'section', text: { type: 'mrkdwn', text: truncate(commandList(), LIMITS.sectionText) } },
    { type: 'context', elements: [{ type: 'mrkdwn', text: `version ${escapeMrkdwn(version)}` }] },
  ],
});

export const unknownCommandReply = (subcommand: string, version: string): CommandReply => {
  const shown = escapeMrkdwn(truncate(subcommand, 40));
  const help = helpReply(version);
  return {
    response_type: 'ephemeral',
    text: `I don't know \`/auth0 ${truncate(subcommand, 40)}\`. ${help.text}`,
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `:grey_question: I don't know \`/auth0 ${shown}\`. Here is what I can do:`,
        },
      },
      ...help.blocks,
    ],
  };
};

export const usageErrorReply = (spec: SubcommandSpec, problem: string): CommandReply => ({
  response_type: 'ephemeral',
  text: `${problem}. Usage: ${spec.usage}`,
  blocks: [
    {
      type: 'section',
      text: { type: 'mrkdwn', text: `:warning: ${problem}.\nUsage: \`${spec.usage}\` — ${spec.description}` },
    },
  ],
});
