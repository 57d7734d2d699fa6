import { describe, expect, it } from 'vitest';
import { checkBlockKitLimits, checkViewLimits } from '@auth0-oncall/fakes/slack';
import type { Incident } from '../../../../src/core/incidents/model.js';
import { homeView } from '../../../../src/slack/blocks/home-view.js';
import { recentIncidentBlocks } from '../../../../src/slack/blocks/recent-incidents.js';
import { anIncident, NOW } from './incident-fixtures.js';

const NASTY = `<!channel> *bold* \u202eevil\u200b ${'&<>|'.repeat(400)} ${'🔥'.repeat(300)}`;

const resolved = (n: number, over: Partial<Incident> = {}): Incident =>
  anIncident({
    id: `inc_${n}`,
    state: 'resolved',
    title: `Failed logins ${n}`,
    openedAt: new Date(NOW.getTime() - (n + 2) * 3_600_000).toISOString(),
    resolvedAt: new Date(NOW.getTime() - n * 3_600_000 - 600_000).toISOString(),
    resolvedBy: 'U0OPERATOR',
    resolution: 'manual',
    ...over,
  });

const text = (blocks: unknown) => JSON.stringify(blocks);

describe("Home's last 7 days", () => {
  it('lists resolved incidents newest first with how long each lasted and who resolved it', () => {
    const blocks = recentIncidentBlocks([
      resolved(3),
      resolved(1, { resolution: 'auto', resolvedBy: 'system' }),
    ]);
    const t = text(blocks);
    expect(t).toContain('*Last 7 days* (2 resolved)');
    expect(t.indexOf('Failed logins 1')).toBeLessThan(t.indexOf('Failed logins 3'));
    expect(t).toContain('`inc_1` — lasted 1 h 50 min, resolved itself <!date^');
    expect(t).toContain('`inc_3` — lasted 1 h 50 min, resolved by <@U0OPERATOR> <!date^');
  });

  it('says so when nothing was resolved', () => {
    expect(text(recentIncidentBlocks([]))).toContain('No incident was resolved in the last 7 days.');
  });

  it('caps the list at 10, says how many more, and keeps Home within limits with hostile titles', () => {
    const many = Array.from({ length: 200 }, (_, n) =>
      resolved(n, { title: `${NASTY} ${n}`, resolvedBy: NASTY }),
    );
    const blocks = recentIncidentBlocks(many);
    expect(text(blocks)).toContain('… and 190 more');
    expect(text(blocks)).not.toContain('<!channel>');
    expect(checkBlockKitLimits(blocks, { surface: 'home' })).toEqual([]);
    const view = homeView({
      incidents: [],
      permalink: () => undefined,
      dependencies: [],
      intake: [],
      rotation: { title: 'Rotation', items: [] },
      stats: {
        week: { days: 7, open: { high: 0, medium: 0, low: 0, info: 0 }, bySeverity: emptyStats },
        month: { days: 30, open: { high: 0, medium: 0, low: 0, info: 0 }, bySeverity: emptyStats },
      },
      audit: [],
      recentlyResolved: many,
      now: NOW,
      isOperator: true,
    });
    expect(checkViewLimits(view)).toEqual([]);
    expect(text(view)).toContain('*Last 7 days* (200 resolved)');
  });
});

const none = { count: 0, mttaMs: undefined, mttrMs: undefined };
const emptyStats = { all: none, high: none, medium: none, low: none, info: none };
