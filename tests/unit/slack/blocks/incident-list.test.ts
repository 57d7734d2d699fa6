import { describe, expect, it } from 'vitest';
import { checkBlockKitLimits } from '@auth0-oncall/fakes/slack';
import type { Incident } from '../../../../src/core/incidents/model.js';
import { incidentList } from '../../../../src/slack/blocks/incident-list.js';
import { NOW, allTexts, anIncident } from './incident-fixtures.js';

const permalink = (i: Incident): string => `https://acme.slack.com/archives/C0ALERTS/p${i.id}`;
const list = (incidents: readonly Incident[], total?: number) =>
  incidentList(incidents, { permalink, now: NOW, ...(total === undefined ? {} : { total }) });
const text = (incidents: readonly Incident[], total?: number): string =>
  allTexts(list(incidents, total).blocks).join('\n');

describe('incidentList', () => {
  it('says there is nothing open, and celebrates', () => {
    const reply = list([]);
    expect(reply.response_type).toBe('ephemeral');
    expect(reply.text).toBe('No open incidents :tada:');
    expect(text([])).toContain('No open incidents :tada:');
  });

  it('leaves resolved incidents out', () => {
    const resolved = anIncident({
      id: 'done',
      title: 'Old news',
      state: 'resolved',
      resolvedAt: NOW.toISOString(),
    });
    expect(list([resolved]).text).toBe('No open incidents :tada:');
  });

  it('orders by severity, highest first, then oldest first', () => {
    const out = text([
      anIncident({ id: 'low', title: 'LOW', severity: 'low' }),
      anIncident({
        id: 'high-new',
        title: 'HIGH NEW',
        severity: 'high',
        openedAt: '2024-05-01T10:10:00.000Z',
      }),
      anIncident({ id: 'info', title: 'INFO', severity: 'info' }),
      anIncident({
        id: 'high-old',
        title: 'HIGH OLD',
        severity: 'high',
        openedAt: '2024-05-01T09:00:00.000Z',
      }),
      anIncident({ id: 'medium', title: 'MEDIUM', severity: 'medium' }),
    ]);
    const order = ['HIGH OLD', 'HIGH NEW', 'MEDIUM', 'LOW', 'INFO'].map((t) => out.indexOf(`|${t}>`));
    expect(order.every((pos) => pos >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('links each line to its card and shows state and age', () => {
    const out = text([anIncident({ state: 'acknowledged', acknowledgedBy: 'U0ACK' })]);
    expect(out).toContain(
      ':red_circle: <https://acme.slack.com/archives/C0ALERTS/pinc-42|M2M token failures for billing-worker>',
    );
    expect(out).toContain('owner <@U0ACK>');
    expect(out).toContain('open 20 min');
  });

  it('shows the title without a link when the card has no permalink yet, or the link is unsafe', () => {
    const reply = incidentList([anIncident(), anIncident({ id: 'b', title: 'Other' })], {
      permalink: (i) => (i.id === 'b' ? 'https://x.slack.com/a|<!channel>' : undefined),
      now: NOW,
    });
    const out = allTexts(reply.blocks).join('\n');
    expect(out).toContain('*M2M token failures for billing-worker*');
    expect(out).toContain('*Other*');
    expect(out).not.toContain('<!channel>');
  });

  it('escapes titles so a <!channel> in one cannot ping', () => {
    expect(text([anIncident({ title: 'Failures for <!channel>' })])).toContain(
      'Failures for &lt;!channel&gt;',
    );
  });

  it('shows at most 40 lines then says how many more, within Block Kit limits', () => {
    const many = Array.from({ length: 120 }, (_, i) =>
      anIncident({ id: `inc-${i}`, title: `<!here>&`.repeat(200) + String(i) }),
    );
    const reply = list(many, 130);
    const out = allTexts(reply.blocks).join('\n');
    expect(out.match(/<https:/g)).toHaveLength(40);
    expect(out).toContain('… 90 more');
    expect(reply.text).toBe('Open incidents (130)');
    expect(checkBlockKitLimits(reply.blocks, { surface: 'message' })).toEqual([]);
    expect(out.length).toBeLessThan(12_000);
  });
});
