import type { BlockAction, ButtonAction, ViewSubmitAction } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import { z } from 'zod';
import type { AuditLog } from '../core/audit/ports.js';
import type { Incident, IncidentStore } from '../core/incidents/model.js';
import type { CommandReply } from './blocks/help-blocks.js';
import type { Ownership, OwnershipResult } from '../core/incidents/ownership.js';
import type { IncidentChat } from '../core/incidents/ports.js';
import type { SeverityNotes, SeverityNotesResult } from '../core/incidents/severity-notes.js';
import { userRef } from './blocks/incident-format.js';
import {
  ESCALATE_VIEW,
  INPUTS,
  NOTE_VIEW,
  SEVERITY_VIEW,
  noteModal,
  severityModal,
} from './blocks/incident-owner-modals.js';
import type { Listeners } from './listener-table.js';

export interface OwnerListenerDeps {
  readonly ownership: Ownership;
  readonly severityNotes: SeverityNotes;
  readonly incidents: Pick<IncidentStore, 'get'>;
  readonly chat: IncidentChat;
  readonly audit: AuditLog;
  readonly now: () => Date;
  readonly onError: (error: unknown) => void;
}

// Incident IDs are 1–64 characters without ':' (core/incidents/model.ts); anything else is forged.
const ID = '([A-Za-z0-9_-]{1,64})';
const TAKE_OVER = new RegExp(`^incident-owner:takeover:${ID}$`);
const SEVERITY = new RegExp(`^incident-severity:${ID}$`);
const NOTE = new RegExp(`^incident-note:${ID}$`);

const metadata = z.object({ incidentId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) });
const severity = z.enum(['info', 'low', 'medium', 'high']);

type StateValues = ViewSubmitAction['view']['state']['values'];
const read = (values: StateValues, id: { block: string; action: string }) => values[id.block]?.[id.action];
const textOf = (values: StateValues, id: { block: string; action: string }) => read(values, id)?.value ?? '';

type Refusal = Exclude<OwnershipResult | SeverityNotesResult, { ok: true }>;

const explain = (r: Refusal): string => {
  switch (r.reason) {
    case 'denied':
      return `:no_entry: ${r.why}`;
    case 'invalid':
      return `:warning: ${r.why}`;
    case 'not_found':
      return ':grey_question: This incident no longer exists.';
    case 'empty':
      return ':warning: The note is empty.';
    case 'already_resolved':
      return 'This incident is already resolved.';
    case 'not_acknowledged':
      return 'Nobody owns this incident yet: acknowledge it to take it.';
    case 'already_owner':
      return 'You already own this incident.';
    case 'already_escalated':
      return `Already escalated by ${userRef(r.incident.escalatedBy)}.`;
    case 'already_acknowledged':
      return `Already acknowledged by ${userRef(r.incident.acknowledgedBy)}.`;
    case 'unchanged':
      return `The severity is already ${r.incident.severity}.`;
    case 'duplicate':
      return 'That note was already added.';
  }
};

/**
 * Take over, Severity, Add note and the three modals' submissions (docs/on-call.md). Thin: ack
 * first, then the use case; refusals go to the clicker alone, in the card's channel.
 */
export const registerOwnerListeners = (app: Listeners, deps: OwnerListenerDeps): void => {
  const tell = async (channel: string | null | undefined, user: string, text: string) => {
    if (channel) await deps.chat.ephemeral(channel, user, { text }).catch(deps.onError);
  };
  const forged = (user: string, what: string, detail: Record<string, unknown>) =>
    deps.audit.append({
      at: deps.now().toISOString(),
      actor: user,
      action: 'incident.click',
      outcome: 'denied',
      summary: what,
      detail,
    });

  app.action<BlockAction<ButtonAction>>(
    /^incident-(owner|severity|note):/,
    async ({ ack, body, action, client }) => {
      await ack();
      const user = body.user.id;
      const channel = body.channel?.id;
      const id = action.action_id;
      const incidentId = (TAKE_OVER.exec(id) ?? SEVERITY.exec(id) ?? NOTE.exec(id))?.[1];
      if (incidentId === undefined) {
        forged(user, 'malformed action_id', { actionId: id.slice(0, 300) });
        await tell(channel, user, ':no_entry: That button is not valid.');
        return;
      }
      if (TAKE_OVER.test(id)) {
        const r = await deps.ownership.takeOver(incidentId, user);
        if (!r.ok) await tell(channel, user, explain(r));
        return;
      }
      const incident = deps.incidents.get(incidentId);
      if (!incident) {
        forged(user, 'unknown incident', { actionId: id.slice(0, 300) });
        await tell(channel, user, ':grey_question: This incident no longer exists.');
        return;
      }
      const open = (view: ModalView) =>
        client.views.open({ trigger_id: body.trigger_id, view }).then(() => undefined, deps.onError);
      if (NOTE.test(id)) {
        await open(noteModal(incident));
        return;
      }
      const refused = await deps.severityNotes.mayChangeSeverity(incidentId, user);
      if (refused && !refused.ok) await tell(channel, user, explain(refused));
      else if (incident.state === 'resolved') await tell(channel, user, 'This incident is already resolved.');
      else await open(severityModal(incident));
    },
  );

  /** The incident a submission is about; undefined (audited, modal closed) when it is forged. */
  const incidentOf = (view: ViewSubmitAction['view'], user: string): Incident | undefined => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(view.private_metadata);
    } catch {
      parsed = undefined;
    }
    const meta = metadata.safeParse(parsed);
    const incident = meta.success ? deps.incidents.get(meta.data.incidentId) : null;
    if (!incident) {
      forged(user, 'malformed or unknown view submission', {
        callbackId: view.callback_id.slice(0, 100),
        metadata: view.private_metadata.slice(0, 200),
      });
      return undefined;
    }
    return incident;
  };

  app.view(ESCALATE_VIEW, async ({ ack, body, view }) => {
    const user = body.user.id;
    const incident = incidentOf(view, user);
    if (!incident) return ack();
    const request = {
      user: read(view.state.values, INPUTS.person)?.selected_user ?? undefined,
      group: textOf(view.state.values, INPUTS.group),
      note: textOf(view.state.values, INPUTS.escalationNote),
    };
    const invalid = deps.ownership.checkTarget(request);
    if (invalid !== undefined) {
      const block = request.group === '' ? INPUTS.person.block : INPUTS.group.block;
      return ack({ response_action: 'errors', errors: { [block]: invalid } });
    }
    await ack();
    const r = await deps.ownership.escalate(incident.id, user, request);
    if (!r.ok) await tell(incident.slackChannel, user, explain(r));
  });

  app.view(SEVERITY_VIEW, async ({ ack, body, view }) => {
    const user = body.user.id;
    const incident = incidentOf(view, user);
    if (!incident) return ack();
    const chosen = severity.safeParse(read(view.state.values, INPUTS.severity)?.selected_option?.value);
    if (!chosen.success) {
      forged(user, 'invalid severity', { incidentId: incident.id });
      return ack();
    }
    if (chosen.data === incident.severity)
      return ack({
        response_action: 'errors',
        errors: { [INPUTS.severity.block]: `It is already ${chosen.data}: choose another.` },
      });
    await ack();
    const r = await deps.severityNotes.setSeverity(
      incident.id,
      user,
      chosen.data,
      textOf(view.state.values, INPUTS.reason),
    );
    if (!r.ok) await tell(incident.slackChannel, user, explain(r));
  });

  app.view(NOTE_VIEW, async ({ ack, body, view }) => {
    const user = body.user.id;
    const incident = incidentOf(view, user);
    if (!incident) return ack();
    const text = textOf(view.state.values, INPUTS.note);
    if (text.trim() === '')
      return ack({ response_action: 'errors', errors: { [INPUTS.note.block]: 'Write the note first.' } });
    await ack();
    // The view's ID makes a redelivered submission a duplicate, not a second note.
    const r = await deps.severityNotes.addNote(incident.id, user, text, 'modal', `view:${view.id}`);
    if (!r.ok) await tell(incident.slackChannel, user, explain(r));
  });
};

/** The `/auth0 note` answer, to the person who typed it. */
export const noteCommandReply = (r: SeverityNotesResult): CommandReply => {
  const text = r.ok ? ":memo: Note added to the incident's timeline and thread." : explain(r);
  return { response_type: 'ephemeral', text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
};
