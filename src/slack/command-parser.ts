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

const AUDIT_DEFAULT = 10;
const AUDIT_MAX = 50;

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
  {
    name: 'audit',
    usage: '/auth0 audit [n]',
    description: `The latest n audit log entries, newest first (default ${AUDIT_DEFAULT}, at most ${AUDIT_MAX}). Operators only.`,
    maxArgs: 1,
  },
  {
    name: 'rotate',
    usage: '/auth0 rotate [client name or ID]',
    description:
      'Without a client: the rotation targets, their last and next rotation. With one (its name or its ID): rotate its credential now, after a confirmation. Operators only.',
    // A client's name may hold spaces: everything after `rotate` is the one argument.
    maxArgs: Number.POSITIVE_INFINITY,
  },
  {
    name: 'doctor',
    usage: '/auth0 doctor',
    description:
      'Checks the setup feature by feature: Auth0 scopes, rotation targets, models, Slack scopes and channel, Log Stream, clock. Operators only.',
    maxArgs: 0,
  },
  {
    name: 'postmortem',
    usage: '/auth0 postmortem <incident id>',
    description:
      "A Markdown postmortem of the incident (the id shown on its card, e.g. `inc_…`), posted as a file in the incident's thread: timeline, impact, cause, what was done, follow-ups. Anyone may ask; resolved or not.",
    maxArgs: 1,
  },
  { name: 'help', usage: '/auth0 help', description: 'This list of commands.', maxArgs: 0 },
];

export type ParsedCommand =
  | { kind: 'help' }
  | { kind: 'status' }
  | { kind: 'incidents' }
  | { kind: 'audit'; limit: number }
  /** `client`: a client ID or a client name, as typed. */
  | { kind: 'rotate'; client: string | undefined }
  | { kind: 'doctor' }
  /** `incident`: the id as typed (the card shows it); the use case reads it. */
  | { kind: 'postmortem'; incident: string }
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
          : `\`${spec.name}\` takes at most ${spec.maxArgs} ${spec.maxArgs === 1 ? 'argument' : 'arguments'}`,
    };
  }
  switch (spec.name) {
    case 'status':
      return { kind: 'status' };
    case 'incidents':
      return { kind: 'incidents' };
    case 'audit':
      return parseAudit(spec, args[0]);
    case 'rotate':
      return { kind: 'rotate', client: args.length === 0 ? undefined : args.join(' ') };
    case 'doctor':
      return { kind: 'doctor' };
    case 'postmortem':
      // Slash commands carry no thread: the incident must be named.
      return args[0] === undefined
        ? { kind: 'usage_error', spec, problem: '`postmortem` needs the incident id shown on its card' }
        : { kind: 'postmortem', incident: args[0] };
    default:
      return { kind: 'help' };
  }
};

/** `/auth0 audit [n]`: a whole number from 1 to AUDIT_MAX; anything else is a usage error. */
const parseAudit = (spec: SubcommandSpec, arg: string | undefined): ParsedCommand => {
  if (arg === undefined) return { kind: 'audit', limit: AUDIT_DEFAULT };
  const limit = /^[0-9]{1,3}$/.test(arg) ? Number(arg) : NaN;
  if (limit >= 1 && limit <= AUDIT_MAX) return { kind: 'audit', limit };
  return { kind: 'usage_error', spec, problem: `\`audit\` takes a number of entries from 1 to ${AUDIT_MAX}` };
};
