import { describe, expect, it } from 'vitest';
import { checkBlockKitLimits } from '@auth0-oncall/fakes/slack';
import { incidentCard, type IncidentCardInput } from '../../../../src/slack/blocks/incident-card.js';
import {
  NOW,
  aStep,
  aSuspect,
  allTexts,
  anIncident,
  buttons,
  manyItems,
  mrkdwnTexts,
  someEvidence,
} from './incident-fixtures.js';

const card = (over: Partial<IncidentCardInput> = {}) =>
  incidentCard({ incident: anIncident(), evidence: someEvidence(), steps: [aStep()], now: NOW, ...over });

const huge = 'Mozilla/5.0 '.repeat(420).slice(0, 5000);
const ip = (i: number): string => `198.51.${Math.floor(i / 250)}.${i % 250}`;

const markupEvidence = {
  topClients: manyItems(50, (i) => `<!channel> ${i} ${'&<>'.repeat(400)}`),
  topIps: manyItems(50, (i) => `<!here>${i}`),
  topConnections: manyItems(50, (i) => `\`conn\`\n${i}*_~`.repeat(100)),
  topUserAgents: manyItems(200, (i) => `${i}${huge}`),
  topReasons: manyItems(50, (i) => `reason ${i} ${'<@U0ALL> '.repeat(300)}`),
  summary: '<!everyone> '.repeat(1000),
  singleSourceIp: '<!channel>'.repeat(100),
  correlation: { kind: 'secret_change', at: '2024-05-01T09:59:00.000Z', detail: '<'.repeat(5000) },
} as const;
const markupSuspects = Array.from({ length: 30 }, (_, i) =>
  aSuspect({ who: `<!channel>${i}`, what: '&'.repeat(3000) }),
);
const markupSteps = Array.from({ length: 40 }, (_, i) =>
  aStep({
    stepId: `s${i}`,
    position: i,
    destructive: true,
    title: '<!channel> '.repeat(100),
    body: '<b>'.repeat(3000),
  }),
);
const markupIncident = anIncident({
  title: `🔥\u202e<!channel>\n${'😀x'.repeat(500)}`,
  scope: '<!here>'.repeat(100),
  escalatedBy: '<!channel>',
  escalatedAt: '2024-05-01T10:04:00.000Z',
});

/** Long plain values everywhere: what truncation and "… N more" are checked against. */
const everythingLong: Partial<IncidentCardInput> = {
  incident: anIncident({ title: 'x'.repeat(1000) }),
  evidence: someEvidence({
    topIps: manyItems(200, ip),
    topClients: manyItems(200, (i) => `client-${i}-${'y'.repeat(500)}`),
    topConnections: manyItems(200, (i) => `conn-${i}`),
    topUserAgents: manyItems(200, (i) => `${i}${huge}`),
    topReasons: manyItems(200, (i) => `reason-${i}-${'z'.repeat(500)}`),
    suspects: Array.from({ length: 30 }, () => aSuspect({ what: 'w'.repeat(2000) })),
    singleSourceIp: '203.0.113.7',
    correlation: { kind: 'signing_key_rotation', at: '2024-05-01T09:56:00.000Z', detail: 'd'.repeat(3000) },
    summary: 's'.repeat(5000),
    onset: '2024-05-01T09:40:00.000Z',
    curve: {
      to: '2024-05-01T10:00:00.000Z',
      bucketMinutes: 5,
      counts: manyItems(60, ip).map((i) => i.count),
    },
    logQuery: { types: ['x'.repeat(500)], clientId: 'c'.repeat(2000), ip: '<!channel>' },
  }),
  logsUrl: `https://manage.auth0.com/dashboard/eu/acme/logs?q=${'a'.repeat(2900)}`,
  steps: Array.from({ length: 40 }, (_, i) =>
    aStep({ stepId: `s${i}`, position: i, title: 't'.repeat(1000), body: 'b'.repeat(5000) }),
  ),
  runbookProvider: 'p'.repeat(500),
};

const nastyCases: [string, Partial<IncidentCardInput>][] = [
  ['200 distinct IPs', { evidence: someEvidence({ topIps: manyItems(200, ip) }) }],
  [
    '200 user agents of 5,000 chars',
    { evidence: someEvidence({ topUserAgents: manyItems(200, (i) => `${i}${huge}`) }) },
  ],
  ['every top list full of markup', { evidence: someEvidence(markupEvidence) }],
  ['30 suspects with markup', { evidence: someEvidence({ suspects: markupSuspects }) }],
  ['40 destructive steps with markup', { steps: markupSteps }],
  ['a 1,000-char title with emoji, control characters and <!channel>', { incident: markupIncident }],
  ['every field long', everythingLong],
  [
    'a curve of huge, negative and non-finite counts and an onset that is not a time',
    {
      evidence: someEvidence({
        onset: '<!channel>',
        baselineFrom: 'not a time',
        baseline: undefined,
        curve: { to: 'nope', bucketMinutes: 5, counts: [1e15, -3, Number.NaN, Infinity, 0, 7] },
      }),
    },
  ],
  [
    'every field long and full of markup',
    {
      incident: markupIncident,
      evidence: someEvidence({ ...markupEvidence, suspects: markupSuspects }),
      steps: markupSteps,
      runbookProvider: '<!channel>'.repeat(100),
    },
  ],
];

describe('incidentCard within Slack limits', () => {
  it.each(nastyCases)('stays within every Block Kit limit with %s', (_name, over) => {
    const out = card(over);
    expect(checkBlockKitLimits(out.blocks, { surface: 'message' })).toEqual([]);
    // Slack has answered msg_blocks_too_long at about 13k characters of block text.
    expect(allTexts(out.blocks).join('').length).toBeLessThan(12_000);
    expect(out.text).not.toContain('\n');
  });

  it.each(nastyCases)('never lets <!channel>, <!here> or a user mention through with %s', (_name, over) => {
    const out = card(over);
    for (const text of [...mrkdwnTexts(out.blocks), out.text]) {
      expect(text).not.toMatch(/<!(channel|here|everyone)|<@U0ALL/);
    }
  });

  it('escapes <!channel> in a log value so it cannot ping', () => {
    const evidence = someEvidence({ topReasons: [{ value: 'wrong password for <!channel>', count: 3 }] });
    expect(allTexts(card({ evidence }).blocks).join('\n')).toContain('wrong password for &lt;!channel&gt;');
  });

  it('marks truncation: a long title ends with …, long values with …, and overflowing lists say how many more', () => {
    const out = card(everythingLong);
    const header = out.blocks[0];
    expect(header?.type === 'header' && header.text.text).toMatch(/…$/);
    const text = allTexts(out.blocks).join('\n');
    // The next step's body is cut, its title on the other steps' buttons too; the rest is in Details.
    expect(text).toMatch(/\*1\. t{10,}…\*/);
    expect(text).toMatch(/b{10,}…/);
    expect(text).toMatch(/^Run 2\. t{10,}…$/m);
    expect(text).toContain('_(+29 more in Details)_');
    expect(text).toMatch(/z{10,}…` ×200/);
  });

  it('leaves the top lists to Details and offers at most 10 other steps besides the next', () => {
    const out = card(everythingLong);
    expect(allTexts(out.blocks).join('\n')).not.toMatch(/`198\.51\./);
    expect(buttons(out.blocks).filter((b) => b.action_id.startsWith('step:'))).toHaveLength(11);
  });
});
