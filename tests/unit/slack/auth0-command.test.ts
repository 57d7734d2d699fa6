import { describe, expect, it } from 'vitest';
import { answer, type Auth0CommandDeps } from '../../../src/slack/commands/auth0-command.js';
import { parseCommand } from '../../../src/slack/command-parser.js';
import type { CommandReply } from '../../../src/slack/blocks/help-blocks.js';

const deps = (audit?: Auth0CommandDeps['audit']): Auth0CommandDeps => ({
  command: '/auth0',
  version: 'test',
  status: () => Promise.resolve([]),
  now: () => new Date('2024-05-01T10:20:00.000Z'),
  ...(audit ? { audit } : {}),
});

const reply = (text: string): CommandReply => ({ response_type: 'ephemeral', text, blocks: [] });

describe('/auth0 audit [n]', () => {
  it.each([
    ['audit', 10],
    ['AUDIT 1', 1],
    ['audit 50', 50],
    ['  audit   7 ', 7],
  ])('reads %j as the latest %i entries', (text, limit) => {
    expect(parseCommand(text)).toEqual({ kind: 'audit', limit });
  });

  it.each(['audit 0', 'audit 51', 'audit five', 'audit -3', 'audit 2.5', 'audit 1e1', 'audit 0010'])(
    'answers %j with the usage',
    (text) => {
      const parsed = parseCommand(text);
      expect(parsed).toMatchObject({
        kind: 'usage_error',
        problem: '`audit` takes a number of entries from 1 to 50',
      });
      if (parsed.kind === 'usage_error') expect(parsed.spec.usage).toBe('/auth0 audit [n]');
    },
  );

  it('rejects more than one argument', () => {
    expect(parseCommand('audit 5 6')).toMatchObject({ kind: 'usage_error' });
  });

  it('asks the audit reader for this user and that many entries', async () => {
    const calls: Array<[string, number]> = [];
    const out = await answer(
      'audit 3',
      deps((user, n) => {
        calls.push([user, n]);
        return Promise.resolve(reply('entries'));
      }),
      'U0OPERATOR',
    );
    expect(calls).toEqual([['U0OPERATOR', 3]]);
    expect(out.text).toBe('entries');
  });

  it('says it does not know the subcommand while the audit reader is not wired', async () => {
    expect((await answer('audit', deps(), 'U0OPERATOR')).text).toContain("I don't know `/auth0 audit`");
  });
});
