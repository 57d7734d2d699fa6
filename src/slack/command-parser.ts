/**
 * Parses the text after `/auth0`. Pure: the listener acks with whatever this and the block
 * builders produce, so every malformed input gets a precise, helpful reply.
 */
export interface SubcommandSpec {
  name: string;
  usage: string;
  description: string;
  /** Arguments this subcommand accepts; extra words are a usage error. */
  maxArgs: number;
}

export const subcommands: readonly SubcommandSpec[] = [
  {
    name: 'status',
    usage: '/auth0 status',
    description:
      'Health of the bot and the tenant: Auth0 reachability, log polling and lag, rate-limit budget, signing keys, nearest expiries.',
    maxArgs: 0,
  },
  {
    name: 'incidents',
    usage: '/auth0 incidents',
    description: 'Open incidents by severity, with links to their cards.',
    maxArgs: 0,
  },
  { name: 'help', usage: '/auth0 help', description: 'This list of commands.', maxArgs: 0 },
];

export type ParsedCommand =
  | { kind: 'help' }
  | { kind: 'status' }
  | { kind: 'incidents' }
  | { kind: 'unknown'; subcommand: string }
  | { kind: 'usage_error'; spec: SubcommandSpec; problem: string };

// Slack caps command text well below this; anything longer is not a command a person typed.
const MAX_TEXT = 4000;

export const parseCommand = (rawText: string): ParsedCommand => {
  const text = rawText.slice(0, MAX_TEXT).trim();
  if (text === '') return { kind: 'help' };
  const [first = '', ...args] = text.split(/\s+/);
  const name = first.toLowerCase();
  const spec = subcommands.find((s) => s.name === name);
  if (!spec) return { kind: 'unknown', subcommand: first };
  if (args.length > spec.maxArgs) {
    return {
      kind: 'usage_error',
      spec,
      problem:
        spec.maxArgs === 0
          ? `\`${spec.name}\` takes no arguments`
          : `\`${spec.name}\` takes at most ${spec.maxArgs} argument(s)`,
    };
  }
  switch (spec.name) {
    case 'status':
      return { kind: 'status' };
    case 'incidents':
      return { kind: 'incidents' };
    default:
      return { kind: 'help' };
  }
};
