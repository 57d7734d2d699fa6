import { describe, expect, it } from 'vitest';
import { incidentCard, type IncidentCardInput } from '../../../../src/slack/blocks/incident-card.js';
import { NOW, aStep, aSuspect, allTexts, anIncident, buttons, someEvidence } from './incident-fixtures.js';

const card = (over: Partial<IncidentCardInput> = {}) =>
  incidentCard({ incident: anIncident(), evidence: someEvidence(), steps: [aStep()], now: NOW, ...over });

const cardText = (over: Partial<IncidentCardInput> = {}): string => allTexts(card(over).blocks).join('\n');

const actionIds = (over: Partial<IncidentCardInput> = {}): string[] =>
  buttons(card(over).blocks).map((b) => b.action_id);

describe('incidentCard buttons', () => {
  it('offers Acknowledge, Escalate, Resolve and Details on an open incident, with their documented action_ids', () => {
    const row = card().blocks.find(
      (b) => b.type === 'actions' && b.elements.some((e) => e.action_id === 'incident:ack:inc-42'),
    );
    expect(row?.type === 'actions' && row.elements.map((e) => e.action_id)).toEqual([
      'incident:ack:inc-42',
      'incident:escalate:inc-42',
      'incident:resolve:inc-42',
      'incident-severity:inc-42',
      'incident-note:inc-42',
      'incident-details:inc-42',
    ]);
    expect(buttons(card().blocks).find((b) => b.action_id === 'incident:ack:inc-42')?.style).toBe('primary');
  });

  it('gives each pending action step a Run step button keyed step:<incidentId>:<stepId> whose value is the step id', () => {
    const [run] = buttons(card().blocks);
    expect(run).toMatchObject({
      action_id: 'step:inc-42:verify',
      value: 'verify',
      text: { text: 'Run step' },
    });
  });

  it('drops Acknowledge once acknowledged and Escalate once escalated', () => {
    const incident = anIncident({
      state: 'acknowledged',
      acknowledgedBy: 'U0ACK',
      acknowledgedAt: '2024-05-01T10:03:00.000Z',
      escalatedBy: 'U0ESC',
      escalatedAt: '2024-05-01T10:04:00.000Z',
    });
    expect(actionIds({ incident })).toEqual([
      'step:inc-42:verify',
      'incident-owner:takeover:inc-42',
      'incident:resolve:inc-42',
      'incident-severity:inc-42',
      'incident-note:inc-42',
      'incident-details:inc-42',
    ]);
  });

  it('keeps Escalate on an acknowledged incident that has not been escalated', () => {
    const incident = anIncident({ state: 'acknowledged', acknowledgedBy: 'U0ACK' });
    expect(actionIds({ incident })).toContain('incident:escalate:inc-42');
    expect(actionIds({ incident })).not.toContain('incident:ack:inc-42');
  });

  it('keeps only Details (and the logs link) once resolved, and says who resolved it and after how long', () => {
    const incident = anIncident({
      state: 'resolved',
      resolvedBy: 'U0RES',
      resolvedAt: '2024-05-01T10:42:00.000Z',
      resolution: 'manual',
    });
    const out = card({ incident, logsUrl: 'https://manage.auth0.com/dashboard/eu/acme/logs' });
    expect(buttons(out.blocks).map((b) => b.action_id)).toEqual([
      'incident-details:inc-42',
      'incident-link:inc-42',
    ]);
    expect(allTexts(out.blocks).join('\n')).toMatch(/Resolved by <@U0RES>.*42 min after it opened/);
  });

  it('says auto-resolved when the quiet period closed it', () => {
    const incident = anIncident({
      state: 'resolved',
      resolvedBy: 'system',
      resolvedAt: '2024-05-01T10:30:00.000Z',
      resolution: 'auto',
    });
    expect(cardText({ incident })).toMatch(/Auto-resolved.*30 min after it opened/);
  });

  it('styles a destructive step as danger and leaves its confirmation to the server-side modal', () => {
    const steps = [
      aStep({ stepId: 'rollback', title: 'Roll back to the previous secret', destructive: true }),
      aStep({ stepId: 'verify', title: 'Verify', destructive: false, position: 1 }),
    ];
    const [run, safe] = buttons(card({ steps }).blocks);
    expect(run?.style).toBe('danger');
    expect(run?.confirm).toBeUndefined();
    expect(safe?.style).toBeUndefined();
  });

  it('offers Retry on a failed action step, keyed one attempt past its last run', () => {
    const steps = [
      aStep({ stepId: 'a', state: 'failed', lastKey: 'step:inc-42:a', position: 0 }),
      aStep({
        stepId: 'b',
        state: 'failed',
        lastKey: 'step:inc-42:b:retry4',
        position: 1,
        destructive: true,
      }),
    ];
    const retries = buttons(card({ steps }).blocks).filter((b) => b.action_id.startsWith('step:'));
    // The next step's button says what it does; the others in the row also say which step.
    expect(retries).toMatchObject([
      { action_id: 'step:inc-42:a:retry1', value: 'a', text: { text: 'Retry' } },
      {
        action_id: 'step:inc-42:b:retry5',
        value: 'b',
        text: { text: 'Retry 2. Verify the client credentials' },
        style: 'danger',
      },
    ]);
  });

  it('offers no Retry once resolved, after 99 retries, or when the last key is not the step’s own', () => {
    const failed = (stepId: string, lastKey: string | null, position: number) =>
      aStep({ stepId, state: 'failed', lastKey, position });
    const steps = [
      failed('a', 'step:inc-42:a:retry99', 0),
      failed('b', 'step:inc-7:b', 1),
      failed('c', 'step:inc-42:other', 2),
      failed('d', null, 3),
      aStep({
        stepId: 'e',
        kind: 'guidance',
        action: null,
        state: 'failed',
        lastKey: 'step:inc-42:e',
        position: 4,
      }),
    ];
    expect(buttons(card({ steps }).blocks).filter((b) => b.action_id.startsWith('step:'))).toEqual([]);
    const resolved = anIncident({
      state: 'resolved',
      resolvedAt: '2024-05-01T10:42:00.000Z',
      resolution: 'manual',
    });
    const retryable = [failed('a', 'step:inc-42:a', 0)];
    expect(
      buttons(card({ incident: resolved, steps: retryable }).blocks).filter((b) =>
        b.action_id.startsWith('step:'),
      ),
    ).toEqual([]);
  });

  it('shows no Run step button on guidance, or on a step that is running, succeeded or failed', () => {
    const steps = [
      aStep({ stepId: 'read', kind: 'guidance', action: null, position: 0 }),
      aStep({ stepId: 'a', state: 'running', position: 1 }),
      aStep({ stepId: 'b', state: 'succeeded', position: 2 }),
      aStep({ stepId: 'c', state: 'failed', position: 3 }),
    ];
    const out = card({ steps });
    expect(buttons(out.blocks).filter((b) => b.action_id.startsWith('step:'))).toEqual([]);
    const text = allTexts(out.blocks).join('\n');
    expect(text).toContain(':hourglass_flowing_sand: _running_');
    expect(text).toContain(':white_check_mark: _succeeded_');
    expect(text).toContain(':x: _failed');
  });
});

describe('incidentCard content', () => {
  it('leads with the severity emoji and title, and a one-line fallback text', () => {
    const out = card();
    expect(out.blocks[0]).toMatchObject({
      type: 'header',
      text: { text: ':red_circle: M2M token failures for billing-worker' },
    });
    expect(out.text).toBe(':red_circle: High — M2M token failures for billing-worker');
  });

  it('states severity, signal in words, scope, state, escalation and the opened time as a Slack date', () => {
    const incident = anIncident({ escalatedBy: 'U0ESC', escalatedAt: '2024-05-01T10:04:00.000Z' });
    const text = cardText({ incident });
    expect(text).toContain(':red_circle: High');
    expect(text).toContain('M2M token failures');
    expect(text).toContain('billing-worker');
    expect(text).toContain('Open');
    expect(text).toContain('Escalated by <@U0ESC>');
    expect(text).toContain('<!date^1714557600^{date_short_pretty} at {time}|2024-05-01 10:00 UTC>');
  });

  it('shows the numbers on one line: failures in the window, rate and ratio', () => {
    expect(cardText()).toContain('*240* failures in the last 5 min  ·  48/min  ·  80% failing');
  });

  it('draws the last hour as a sparkline, one character per bucket, beside the usual rate per bucket', () => {
    const evidence = someEvidence({
      baseline: 0.6,
      curve: {
        to: '2024-05-01T10:00:00.000Z',
        bucketMinutes: 5,
        counts: [3, 3, 2, 4, 3, 0, 3, 3, 3, 3, 120, 240],
      },
    });
    expect(cardText({ evidence })).toContain(
      '`▂▂▂▂▂▁▂▂▂▂▅█` last hour to <!date^1714557600^{time}|2024-05-01 10:00 UTC>  ·  usual: ~3/5 min (now 80×)',
    );
  });

  it('says when a baseline will exist instead of only that there is none yet', () => {
    const evidence = someEvidence({ baseline: undefined, baselineFrom: '2024-05-01T11:04:00.000Z' });
    expect(cardText({ evidence })).toContain('baseline from <!date^1714561440^{time}|2024-05-01 11:04 UTC>');
    expect(cardText({ evidence: someEvidence({ baseline: undefined }) })).toContain('no baseline yet');
    expect(cardText({ evidence: someEvidence({ baseline: 0 }) })).toContain('usual: none');
  });

  it('says since when the signal shows the problem, and how much later the card came', () => {
    const evidence = someEvidence({ onset: '2024-05-01T09:53:20.000Z' });
    const text = cardText({ evidence });
    expect(text).toContain('Since <!date^1714557200^{date_short_pretty} at {time}|2024-05-01 09:53 UTC>');
    expect(text).toContain('(card 6 min later)');
    expect(text).not.toContain('opened <!date');
  });

  it('names the top reason on the card and leaves the top lists to Details', () => {
    const evidence = someEvidence({ topReasons: [{ value: 'Invalid client_secret', count: 240 }] });
    const text = cardText({ evidence });
    expect(text).toContain('*Top reason:* `Invalid client_secret` ×240');
    expect(text).not.toContain('Top IPs');
    expect(text).not.toContain('`203.0.113.7` ×230');
  });

  it('links to the Auth0 logs when the dashboard is known, and not otherwise', () => {
    const url = 'https://manage.auth0.com/dashboard/eu/acme/logs?q=type%3A%22feccft%22';
    const link = buttons(card({ logsUrl: url }).blocks).find((b) => b.action_id === 'incident-link:inc-42');
    expect(link).toMatchObject({ text: { text: 'Open in Auth0 logs' }, url });
    expect(actionIds()).not.toContain('incident-link:inc-42');
  });

  it('calls out a single source IP and a correlated signing-key rotation', () => {
    const evidence = someEvidence({
      singleSourceIp: '203.0.113.7',
      correlation: { kind: 'signing_key_rotation', at: '2024-05-01T09:56:00.000Z', detail: 'new key kid-2' },
    });
    const text = cardText({ evidence });
    expect(text).toContain('Most of this comes from one IP: `203.0.113.7`');
    expect(text).toContain('Started 4 min after a signing-key rotation');
  });

  it('names the likeliest suspect as the possible cause, marks the bot’s own, and counts the rest', () => {
    const evidence = someEvidence({
      suspects: [
        aSuspect({ at: '2024-05-01T09:40:00.000Z', what: 'older change' }),
        aSuspect({
          at: '2024-05-01T09:58:00.000Z',
          kind: 'own_rotation',
          who: 'auth0-oncall',
          expected: true,
          what: 'newer change',
        }),
      ],
    });
    const text = cardText({ evidence });
    // Detection orders suspects most relevant first; the card shows the first and counts the rest.
    expect(text).toContain('*Possible cause:*');
    expect(text).toContain('older change _(+1 more in Details)_');
    expect(text).not.toContain('newer change');
    const own = cardText({ evidence: someEvidence({ suspects: [...evidence.suspects].reverse() }) });
    expect(own).toMatch(/newer change _\(the bot's own change\)_/);
  });

  it('names the runbook writer, or says the runbook is on its way when there are no steps', () => {
    expect(cardText()).toContain('*Next step* (1 of 1, runbook by builtin)');
    expect(cardText({ runbookProvider: 'bedrock' })).toContain('runbook by bedrock)');
    expect(cardText({ steps: [] })).toContain('*Runbook:* on its way');
    expect(buttons(card({ steps: [] }).blocks).some((b) => b.action_id.startsWith('step:'))).toBe(false);
  });
});
