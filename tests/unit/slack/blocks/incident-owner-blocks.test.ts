import { describe, expect, it } from 'vitest';
import { checkBlockKitLimits, checkViewLimits } from '@auth0-oncall/fakes/slack';
import { incidentCard } from '../../../../src/slack/blocks/incident-card.js';
import {
  noteLine,
  ownerContextBlocks,
  ownerListText,
  pagedLine,
} from '../../../../src/slack/blocks/incident-owner-blocks.js';
import {
  escalationModal,
  noteModal,
  severityModal,
} from '../../../../src/slack/blocks/incident-owner-modals.js';
import { anIncident, NOW } from './incident-fixtures.js';

const HOSTILE = `<!channel> <@U0EVIL> *bold* \u202e${'x'.repeat(5_000)}`;

describe('owner, severity and note blocks', () => {
  it('shows the owner and who set the severity on the card, within Block Kit limits', () => {
    const incident = anIncident({
      state: 'acknowledged',
      acknowledgedBy: 'U0ALICE',
      acknowledgedAt: '2024-05-01T10:03:00.000Z',
      owner: 'U0BOB',
      severitySetBy: 'U0OP',
      title: HOSTILE,
    });
    const card = incidentCard({
      incident,
      evidence: { window: { from: '', to: '', minutes: 5 }, failures: 1, rate: 1, suspects: [] },
      steps: [],
      now: NOW,
    });
    const text = JSON.stringify(card.blocks);
    expect(text).toContain('Owner: <@U0BOB>');
    expect(text).toContain('severity set by <@U0OP>');
    expect(checkBlockKitLimits(card.blocks, { surface: 'message' })).toEqual([]);
    expect(ownerListText(incident)).toBe('owner <@U0BOB>');
  });

  it('shows no owner line on an open or resolved incident nobody set the severity of', () => {
    expect(ownerContextBlocks(anIncident())).toEqual([]);
    expect(ownerContextBlocks(anIncident({ state: 'resolved', owner: 'U0A' }))).toEqual([]);
  });

  it('keeps each modal within limits with a hostile title, and carries only the incident ID', () => {
    const incident = anIncident({ title: HOSTILE });
    for (const view of [
      escalationModal(incident, { kind: 'operators', ids: Array.from({ length: 20 }, (_, i) => `U0OP${i}`) }),
      severityModal(incident),
      noteModal(incident),
    ]) {
      expect(checkViewLimits(view)).toEqual([]);
      expect(JSON.parse(view.private_metadata ?? '')).toEqual({ incidentId: 'inc-42' });
      expect(JSON.stringify(view)).not.toContain('<!channel>');
    }
  });

  it('escapes what people type into notes and escalation notes, so it cannot ping or break out', () => {
    const line = noteLine('U0A', '<!here> look at <https://evil|this>\nsecond line');
    expect(line.text).not.toContain('<!here>');
    expect(line.text).toContain('> second line');
    const paged = pagedLine('U0A', { kind: 'group', id: 'S0DB' }, '<!channel>');
    expect(paged.text).toBe(':rotating_light: Escalated by <@U0A> to <!subteam^S0DB>.\n> &lt;!channel&gt;');
    expect(checkBlockKitLimits(noteLine('U0A', 'y'.repeat(10_000)).blocks, { surface: 'message' })).toEqual(
      [],
    );
  });
});
