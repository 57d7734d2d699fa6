import { describe, expect, it } from 'vitest';
import { checkBlockKitLimits, checkViewLimits } from '@auth0-oncall/fakes/slack';
import type { MaintenanceWindow } from '../../../../src/core/maintenance/model.js';
import { incidentCard } from '../../../../src/slack/blocks/incident-card.js';
import { maintenanceHomeBlocks, maintenanceListReply } from '../../../../src/slack/blocks/quiet-blocks.js';
import { parseCommand } from '../../../../src/slack/command-parser.js';
import { NOW, anIncident, someEvidence } from './incident-fixtures.js';

const aWindow = (i: number, over: Partial<MaintenanceWindow> = {}): MaintenanceWindow => ({
  id: `mw_${String(i).padStart(8, '0')}`,
  scope: { kind: 'connection', value: `conn-${String(i)}` },
  reason: `reason ${String(i)}`,
  origin: 'manual',
  createdBy: 'U0OPERATOR',
  startsAt: '2026-03-01T12:00:00.000Z',
  endsAt: '2026-03-01T14:00:00.000Z',
  endedAt: null,
  endedBy: null,
  ...over,
});

const card = (quiet: Parameters<typeof incidentCard>[0]['quiet'], state: 'open' | 'resolved' = 'open') =>
  incidentCard({
    incident: anIncident({
      state,
      ...(state === 'resolved'
        ? { resolvedAt: NOW.toISOString(), resolvedBy: 'U0OPERATOR', resolution: 'manual' as const }
        : {}),
    }),
    evidence: someEvidence(),
    steps: [],
    now: NOW,
    quiet,
  });

describe('quiet pieces of the card', () => {
  it('offers 1 h, 4 h and tomorrow 09:00, and Wake now only while snoozed', () => {
    const loud = JSON.stringify(card(undefined).blocks);
    expect(loud).toMatch(/"type":"static_select","action_id":"incident-snooze:[^"]+"/);
    expect(loud).toContain('"value":"1h"');
    expect(loud).toContain('"value":"4h"');
    expect(loud).toContain('"value":"tomorrow"');
    expect(loud).not.toContain('"value":"wake"');
    const snoozed = card({
      snooze: { incidentId: 'x', until: '2026-03-01T13:00:00.000Z', by: 'U0VIEWER' },
      windows: [],
    });
    expect(JSON.stringify(snoozed.blocks)).toContain('"value":"wake"');
    expect(JSON.stringify(snoozed.blocks)).toContain('Snoozed by <@U0VIEWER> until <!date^1772370000^');
    expect(checkBlockKitLimits(snoozed.blocks, { surface: 'message' })).toEqual([]);
  });

  it('escapes a window reason so it cannot mention anyone, and caps the window lines', () => {
    const windows = Array.from({ length: 6 }, (_, i) => ({
      ...aWindow(i),
      reason: i === 0 ? '<!channel> <@U0ADMIN> *bold*' : `r${String(i)}`,
    }));
    const text = JSON.stringify(card({ snooze: undefined, windows }).blocks);
    expect(text).not.toContain('<!channel>');
    expect(text).not.toContain('<@U0ADMIN>');
    expect(text).toContain('&lt;!channel&gt;');
    expect(text.match(/In maintenance window/g)).toHaveLength(3);
    expect(text).toContain('… and 3 more windows');
  });

  it('shows nothing quiet and no menu on a resolved card', () => {
    const text = JSON.stringify(
      card(
        { snooze: { incidentId: 'x', until: '2026-03-01T13:00:00.000Z', by: 'U1' }, windows: [] },
        'resolved',
      ).blocks,
    );
    expect(text).not.toContain('incident-snooze:');
    expect(text).not.toContain('Snoozed by');
  });
});

describe('maintenance windows on Home and in replies', () => {
  it('gives operators an End button per window and others none, within Home limits for 40 windows', () => {
    const windows = Array.from({ length: 40 }, (_, i) => aWindow(i));
    const operator = maintenanceHomeBlocks(windows, true);
    const viewer = maintenanceHomeBlocks(windows, false);
    expect(JSON.stringify(operator).match(/maintenance:end:mw_/g)).toHaveLength(10);
    expect(JSON.stringify(viewer)).not.toContain('maintenance:end:');
    expect(JSON.stringify(operator)).toContain('… 30 more');
    expect(checkViewLimits({ type: 'home', blocks: operator })).toEqual([]);
    expect(maintenanceHomeBlocks(undefined, true)).toEqual([]);
  });

  it('lists windows with their scope, end and reason, and says when there are none', () => {
    expect(maintenanceListReply([]).text).toBe('No maintenance windows are open.');
    const listed = JSON.stringify(
      maintenanceListReply([aWindow(1, { scope: { kind: 'tenant' } }), aWindow(2)]),
    );
    expect(listed).toContain('2 maintenance windows open');
    expect(listed).toContain('the whole tenant');
    expect(listed).toContain('connection `conn-2`');
  });
});

describe('parsing /auth0 maintenance', () => {
  it('lists, ends and opens, and turns every malformed form into a usage error', () => {
    expect(parseCommand('maintenance')).toEqual({ kind: 'maintenance', action: { kind: 'list' } });
    expect(parseCommand('maintenance end mw_1')).toEqual({
      kind: 'maintenance',
      action: { kind: 'end', id: 'mw_1' },
    });
    expect(parseCommand('MAINTENANCE 2h client:billing worker pool')).toEqual({
      kind: 'maintenance',
      action: {
        kind: 'open',
        request: { minutes: 120, scope: { kind: 'client', value: 'billing' }, reason: 'worker pool' },
      },
    });
    for (const bad of ['maintenance 2x', 'maintenance end', 'maintenance end a:b', 'maintenance 1h team:x'])
      expect(parseCommand(bad).kind).toBe('usage_error');
  });
});
