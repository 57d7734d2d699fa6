import type { StatusSection } from '../../core/status/model.js';
import { parseCommand, type MaintenanceAction } from '../command-parser.js';
import { helpReply, unknownCommandReply, usageErrorReply, type CommandReply } from '../blocks/help-blocks.js';
import { statusReply } from '../blocks/status-blocks.js';
import type { Listeners } from '../listener-table.js';

export interface Auth0CommandDeps {
  /** The slash command as configured in the manifest. */
  command: string;
  version: string;
  status(): Promise<StatusSection[]>;
  /** The `/auth0 incidents` reply; absent until incidents are wired. */
  incidents?(): Promise<CommandReply> | CommandReply;
  /** The `/auth0 audit [n]` reply for this user (operators only); absent until wired. */
  audit?(user: string, limit: number): Promise<CommandReply>;
  /**
   * `/auth0 rotate [client]`; absent until wired. Called after the ack, so it may open a modal
   * with `triggerId`; a reply it returns is sent to the user alone through the response_url.
   */
  rotate?(user: string, clientId: string | undefined, triggerId: string): Promise<CommandReply | undefined>;
  /** `/auth0 doctor` (operators only); called after the ack: its checks take seconds. */
  doctor?(user: string): Promise<CommandReply>;
  /** `/auth0 note <incident> <text>`; called after the ack: it posts to the incident's thread. */
  note?(user: string, incidentId: string, text: string): Promise<CommandReply>;
  /** `/auth0 maintenance …`: list, open or end windows; absent until wired. */
  maintenance?(user: string, action: MaintenanceAction): Promise<CommandReply>;
  /** `/auth0 postmortem <id>`; called after the ack: writing and uploading take seconds. */
  postmortem?(user: string, incident: string): Promise<CommandReply>;
  now(): Date;
  onCommand?(subcommand: string): void;
}

/** The `/auth0` listener: parse, answer in the ack (Slack's 3 s), nothing else. */
export const registerAuth0Command = (app: Listeners, deps: Auth0CommandDeps): void => {
  app.command(deps.command, async ({ command, ack, respond }) => {
    const parsed = parseCommand(command.text);
    if (parsed.kind === 'rotate' && deps.rotate) {
      // Ack first: the confirmation modal must open right after it, while trigger_id is valid.
      deps.onCommand?.('rotate');
      await ack();
      const reply = await deps.rotate(command.user_id, parsed.client, command.trigger_id);
      if (reply) await respond(reply);
      return;
    }
    if (parsed.kind === 'doctor' && deps.doctor) {
      deps.onCommand?.('doctor');
      await ack({ response_type: 'ephemeral', text: 'Running the setup doctor…' });
      await respond(await deps.doctor(command.user_id));
      return;
    }
    if (parsed.kind === 'note' && deps.note) {
      deps.onCommand?.('note');
      await ack();
      await respond(await deps.note(command.user_id, parsed.incidentId, parsed.text));
      return;
    }
    if (parsed.kind === 'postmortem' && deps.postmortem) {
      deps.onCommand?.('postmortem');
      await ack({ response_type: 'ephemeral', text: 'Writing the postmortem…' });
      await respond(await deps.postmortem(command.user_id, parsed.incident));
      return;
    }
    const reply = await answer(command.text, deps, command.user_id);
    await ack(reply);
  });
};

export const answer = async (
  text: string,
  deps: Auth0CommandDeps,
  user: string,
  triggerId?: string,
): Promise<CommandReply> => {
  const parsed = parseCommand(text);
  deps.onCommand?.(
    parsed.kind === 'unknown' ? 'unknown' : parsed.kind === 'usage_error' ? parsed.spec.name : parsed.kind,
  );
  switch (parsed.kind) {
    case 'help':
      return helpReply(deps.version);
    case 'status':
      return statusReply(await deps.status(), deps.now());
    case 'incidents':
      return deps.incidents ? deps.incidents() : unknownCommandReply('incidents', deps.version);
    case 'audit':
      return deps.audit ? deps.audit(user, parsed.limit) : unknownCommandReply('audit', deps.version);
    case 'rotate': {
      // The listener answers `rotate` itself when wired (early ack); this path serves callers without one.
      if (!deps.rotate) return unknownCommandReply('rotate', deps.version);
      return (
        (await deps.rotate(user, parsed.client, triggerId ?? '')) ?? {
          response_type: 'ephemeral',
          text: 'Opening the confirmation…',
          blocks: [],
        }
      );
    }
    case 'doctor':
      return deps.doctor ? deps.doctor(user) : unknownCommandReply('doctor', deps.version);
    case 'note':
      return deps.note
        ? deps.note(user, parsed.incidentId, parsed.text)
        : unknownCommandReply('note', deps.version);
    case 'maintenance':
      return deps.maintenance
        ? deps.maintenance(user, parsed.action)
        : unknownCommandReply('maintenance', deps.version);
    case 'postmortem':
      return deps.postmortem
        ? deps.postmortem(user, parsed.incident)
        : unknownCommandReply('postmortem', deps.version);
    case 'usage_error':
      return usageErrorReply(parsed.spec, parsed.problem);
    case 'unknown':
      return unknownCommandReply(parsed.subcommand, deps.version);
  }
};
