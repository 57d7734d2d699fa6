import { describe, expect, it } from 'vitest';
import { checkBlockKitLimits } from '@auth0-oncall/fakes/slack';
import type { IncidentSummary } from '../../../../src/core/incidents/summary.js';
import { summaryMessage } from '../../../../src/slack/blocks/summary-blocks.js';
import { openIncident } from '../../../helpers/incident-fixture.js';

const base: IncidentSummary = {
  onset: '2026-03-01T11:58:00.000Z',
  onsetFromSignal: true,
  openedAt: '2026-03-01T12:00:00.000Z',
  acknowledged: { by: 'U0ACK', at: '2026-03-01T12:01:00.000Z' },
  resolvedAt: '2026-03-01T13:05:00.000Z',
  resolvedBy: 'U0OP',
  resolution: 'manual',
  steps: [
    { title: 'Roll back', outcome: 'succeeded', at: '2026-03-01T12:10:00.000Z', by: 'U0OP', result: 'done' },
  ],
  cause: { kind: 'unknown' },
  durationMs: 67 * 60_000,
  mttaMs: 60_000,
  mttrMs: 65 * 60_000,
};
const incident = openIncident({ id: 'inc_x', title: 'Failed logins' });
const text = (s: IncidentSummary) => JSON.stringify(summaryMessage(incident, s).blocks);

describe('the resolve summary message', () => {
  it('says every part with Slack date tokens and durations', () => {
    const t = text(base);
    expect(t).toContain(
      '*Onset:* <!date^1772366280^{date_short_pretty} at {time}|2026-03-01 11:58 UTC> (first failure of the signal)',
    );
    expect(t).toContain('*Detected:* <!date^1772366400^');
    expect(t).toContain('*Acknowledged:* by <@U0ACK> <!date^');
    expect(t).toContain('*Resolved:* by <@U0OP>');
    expect(t).toContain('*Steps run:* 1 step, 1 succeeded, 0 failed');
    expect(t).toContain(
      '*Duration:* 1 h 7 min · *Time to acknowledge:* 1 min · *Time to resolve:* 1 h 5 min',
    );
    expect(t).toContain('/auth0 postmortem inc_x');
    expect(summaryMessage(incident, base).text).toBe('Summary: Failed logins — over after 1 h 7 min');
  });

  it('uses plurals, says "never" and "none", and an automatic resolution', () => {
    const t = text({
      ...base,
      acknowledged: null,
      mttaMs: null,
      resolution: 'auto',
      resolvedBy: 'system',
      onsetFromSignal: false,
      steps: [base.steps[0]!, { ...base.steps[0]!, outcome: 'failed', title: 'Second' }],
    });
    expect(t).toContain('*Acknowledged:* never');
    expect(t).toContain('*Resolved:* automatically');
    expect(t).toContain('*Steps run:* 2 steps, 1 succeeded, 1 failed');
    expect(t).toContain('when the card opened');
    expect(t).toContain('*Time to acknowledge:* —');
    expect(text({ ...base, steps: [] })).toContain('*Steps run:* none');
  });

  it('escapes what came from the logs and stays within Block Kit limits with many long steps', () => {
    const long: IncidentSummary = {
      ...base,
      cause: {
        kind: 'suspects',
        suspects: [{ at: base.onset, who: '<!channel>', what: '<https://evil.example|click> &' }],
      },
      steps: Array.from({ length: 10 }, (_, i) => ({
        ...base.steps[0]!,
        title: `step ${i} ${'x'.repeat(300)}`,
        result: `<!here> ${'y'.repeat(300)}`,
      })),
    };
    const message = summaryMessage(incident, long);
    const t = JSON.stringify(message.blocks);
    expect(t).not.toContain('<!channel>');
    expect(t).not.toContain('<!here>');
    expect(t).not.toContain('<https://evil');
    expect(checkBlockKitLimits(message.blocks, { surface: 'message' })).toEqual([]);
  });
});
