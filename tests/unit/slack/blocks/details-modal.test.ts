import { describe, expect, it } from 'vitest';
import { checkViewLimits } from '@auth0-oncall/fakes/slack';
import { detailsModal, type DetailsInput } from '../../../../src/slack/blocks/details-modal.js';
import { aStep, aSuspect, allTexts, anIncident, manyItems, someEvidence } from './incident-fixtures.js';

const modal = (over: Partial<DetailsInput> = {}) =>
  detailsModal({
    incident: anIncident(),
    evidence: someEvidence(),
    steps: [aStep()],
    logs: undefined,
    ...over,
  });

const text = (over: Partial<DetailsInput> = {}) => allTexts(modal(over).blocks).join('\n');

const huge = 'Mozilla/5.0 '.repeat(420).slice(0, 5000);

const everythingLong: Partial<DetailsInput> = {
  incident: anIncident({ title: `<!channel> ${'x'.repeat(1000)}`, scope: '<!here>'.repeat(100) }),
  evidence: someEvidence({
    topIps: manyItems(200, (i) => `198.51.${Math.floor(i / 250)}.${i % 250}`),
    topClients: manyItems(200, (i) => `<!channel> client-${i}-${'y'.repeat(500)}`),
    topConnections: manyItems(200, (i) => `conn-${i}`),
    topUserAgents: manyItems(200, (i) => `${i}${huge}`),
    topReasons: manyItems(200, (i) => `reason-${i}-${'<@U0ALL> '.repeat(300)}`),
    suspects: Array.from({ length: 30 }, (_, i) =>
      aSuspect({ who: `<!channel>${i}`, what: '&'.repeat(3000) }),
    ),
    singleSourceIp: '<!channel>'.repeat(100),
    correlation: { kind: 'signing_key_rotation', at: '2024-05-01T09:56:00.000Z', detail: '<'.repeat(3000) },
    summary: '<!everyone> '.repeat(1000),
    curve: {
      to: '2024-05-01T10:00:00.000Z',
      bucketMinutes: 5,
      counts: Array.from({ length: 60 }, (_, i) => i * 1e9),
    },
  }),
  steps: Array.from({ length: 60 }, (_, i) =>
    aStep({ stepId: `s${i}`, position: i, title: '<!channel> '.repeat(100), body: '<b>'.repeat(3000) }),
  ),
  logs: {
    url: `https://manage.auth0.com/dashboard/eu/acme/logs?q=${'a'.repeat(2900)}`,
    query: '"<!channel>"'.repeat(300),
  },
};

describe('the Details modal', () => {
  it('holds the whole evidence: every number, the top lists and every suspect', () => {
    const out = text({
      evidence: someEvidence({
        topReasons: [{ value: 'Invalid client_secret', count: 240 }],
        suspects: [aSuspect({ what: 'PATCH /api/v2/clients/abc' })],
      }),
    });
    for (const part of [
      '*Failures in window*\n240',
      '*Rate*\n48/min',
      '*Failure ratio*\n80%',
      '0.5/min',
      'last 5 min',
    ])
      expect(out).toContain(part);
    expect(out).toContain('`203.0.113.7` ×230');
    expect(out).toContain('`Invalid client_secret` ×240');
    expect(out).toContain('*Recent changes (possible causes)*');
    expect(out).toContain('PATCH /api/v2/clients/abc');
  });

  it('spells out the curve bucket by bucket beside its sparkline', () => {
    const evidence = someEvidence({
      curve: {
        to: '2024-05-01T10:00:00.000Z',
        bucketMinutes: 5,
        counts: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 1200],
      },
    });
    expect(text({ evidence })).toContain('`▁▁▁▁▁▁▁▁▁▁▂█`  0 · 0 · 0 · 0 · 0 · 0 · 0 · 0 · 0 · 0 · 2 · 1,200');
  });

  it('shows every runbook step whole, after the evidence', () => {
    const body = `${'A long explanation. '.repeat(40)}THE END`;
    const out = text({ steps: [aStep({ body }), aStep({ stepId: 'b', position: 1, title: 'Second' })] });
    expect(out).toContain('THE END');
    expect(out).toContain('*2. Second*');
    expect(out.indexOf('*Failures in window*')).toBeLessThan(out.indexOf('THE END'));
  });

  it('gives the log search behind the dashboard link, or says why there is no link', () => {
    const logs = { url: 'https://manage.auth0.com/dashboard/eu/acme/logs?q=x', query: 'type:"feccft"' };
    expect(text({ logs })).toContain(
      `*Auth0 log search* (<${logs.url}|open in the Dashboard>)\n\`type:"feccft"\``,
    );
    expect(text()).toContain('not a `*.auth0.com` domain');
  });

  it('stays within the modal’s limits and never pings, whatever the logs hold', () => {
    const view = modal(everythingLong);
    expect(checkViewLimits(view)).toEqual([]);
    for (const t of allTexts(view.blocks)) expect(t).not.toMatch(/<!(channel|here|everyone)|<@U0ALL/);
    const out = allTexts(view.blocks).join('\n');
    expect(out).toContain('… and 195 more');
    expect(out).toContain('… and 25 more');
    expect(out.match(/`198\.51\./g)).toHaveLength(5);
  });
});
