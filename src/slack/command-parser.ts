import { parseMaintenanceRequest, type MaintenanceRequest } from '../core/maintenance/model.js';

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
    name: 'note',
    usage: '/auth0 note <incident ID> <text>',
    description:
      "Adds a note to an incident's timeline and thread (the ID is on its card). In the thread itself, write `note: <text>` to the bot instead: Slack does not tell a command which thread it was typed in.",
    maxArgs: Number.POSITIVE_INFINITY,
  },
  {
    name: 'maintenance',
    usage: '/auth0 maintenance [<duration> [scope] [reason] | end <id>]',
    description:
      'Alone: the open maintenance windows. With a duration (30m, 2h, 1d; at most 7d) and a scope (`tenant`, the default; `client:<name or ID>`; `connection:<name>`): open a window in which matching incidents are recorded and shown without reminders or escalation. `end <id>` ends one. Opening and ending: operators only.',
    // A reason is free text: everything after the scope is the reason.
    maxArgs: Number.POSITIVE_INFINITY,
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
  | { kind: 'note'; incidentId: string; text: string }
  | { kind: 'maintenance'; action: MaintenanceAction }
  /** `incident`: the id as typed (the card shows it); the use case reads it. */
  | { kind: 'postmortem'; incident: string }
  | { kind: 'unknown'; subcommand: string }
  | { kind: 'usage_error'; spec: SubcommandSpec; problem: string };

export type MaintenanceAction =
  | { readonly kind: 'list' }
  | { readonly kind: 'end'; readonly id: string }
  | { readonly kind: 'open'; readonly request: MaintenanceRequest };

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
    case 'note':
      return parseNote(spec, text);
    case 'maintenance':
      return parseMaintenance(spec, args);
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

/** `/auth0 note <incident ID> <text>`: the text keeps its own spacing and lines. */
const parseNote = (spec: SubcommandSpec, text: string): ParsedCommand => {
  const match = /^\S+\s+(\S+)(?:\s+([\s\S]*))?$/.exec(text);
  const incidentId = match?.[1] ?? '';
  const note = match?.[2]?.trim() ?? '';
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(incidentId))
    return { kind: 'usage_error', spec, problem: '`note` needs the incident ID first (it is on the card)' };
  if (note === '')
    return { kind: 'usage_error', spec, problem: '`note` needs some text after the incident ID' };
  return { kind: 'note', incidentId, text: note };
};

/** `/auth0 maintenance`, `… end <id>`, `… <duration> [scope] [reason]`. */
const parseMaintenance = (spec: SubcommandSpec, args: readonly string[]): ParsedCommand => {
  if (args.length === 0) return { kind: 'maintenance', action: { kind: 'list' } };
  if (args[0]?.toLowerCase() === 'end') {
    const id = args[1];
    if (id === undefined || args.length > 2)
      return {
        kind: 'usage_error',
        spec,
        problem: '`maintenance end` takes one window ID, e.g. `/auth0 maintenance end mw_1a2b3c`',
      };
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(id))
      return { kind: 'usage_error', spec, problem: `\`${id.slice(0, 40)}\` is not a maintenance window ID` };
    return { kind: 'maintenance', action: { kind: 'end', id } };
  }
  const parsed = parseMaintenanceRequest(args);
  if (!parsed.ok) return { kind: 'usage_error', spec, problem: parsed.problem };
  return { kind: 'maintenance', action: { kind: 'open', request: parsed.value } };
};
