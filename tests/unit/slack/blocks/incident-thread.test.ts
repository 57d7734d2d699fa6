import { describe, expect, it } from 'vitest';
import { checkBlockKitLimits } from '@auth0-oncall/fakes/slack';
import {
  acknowledgedLine,
  auth0ReachableLine,
  escalatedLine,
  newSuspectLine,
  reminderLine,
  resolvedLine,
  severityChangedLine,
} from '../../../../src/slack/blocks/incident-thread.js';
import { aSuspect } from './incident-fixtures.js';

const OPENED = '2024-05-01T10:00:00.000Z';
const AT = '2024-05-01T10:10:00.000Z';

describe('incident thread lines', () => {
  it('says how severity changed and why', () => {
    const line = severityChangedLine({
      from: 'info',
      to: 'high',
      why: 'token failures followed the key rotation',
    });
    expect(line.text).toBe(
      'Severity changed :large_blue_circle: Info → :red_circle: High: token failures followed the key rotation',
    );
    expect(line.blocks).toEqual([{ type: 'section', text: { type: 'mrkdwn', text: line.text } }]);
  });

  it('announces a new suspect, marking the bot’s own change', () => {
    const line = newSuspectLine(aSuspect({ kind: 'own_rotation', who: 'auth0-oncall', expected: true }));
    expect(line.text).toMatch(
      /New possible cause: .*Credential rotation by auth0-oncall: .*\(the bot's own change\)/,
    );
  });

  it('says who acknowledged and how long it took', () => {
    expect(acknowledgedLine({ by: 'U0ACK', openedAt: OPENED, at: AT }).text).toBe(
      ':eyes: Acknowledged by <@U0ACK> 10 min after it opened.',
    );
  });

  it('mentions the escalation group on escalate only when one is configured', () => {
    expect(escalatedLine({ by: 'U0ESC', escalationGroup: 'S0ONCALL' }).text).toBe(
      '<!subteam^S0ONCALL> :rotating_light: Escalated by <@U0ESC>.',
    );
    expect(escalatedLine({ by: 'U0ESC' }).text).toBe(':rotating_light: Escalated by <@U0ESC>.');
    expect(escalatedLine({ by: 'U0ESC', escalationGroup: null }).text).not.toContain('subteam');
  });

  it('refuses a malformed group id rather than inject it into a mention', () => {
    expect(escalatedLine({ by: 'U0ESC', escalationGroup: 'S1> <!channel' }).text).not.toContain('<!');
  });

  it('reminds when still unacknowledged, mentioning the group only when configured', () => {
    expect(reminderLine({ openedAt: OPENED, now: AT, escalationGroup: 'S0ONCALL' }).text).toBe(
      '<!subteam^S0ONCALL> :bell: Still unacknowledged after 10 min.',
    );
    expect(reminderLine({ openedAt: OPENED, now: AT }).text).toBe(
      ':bell: Still unacknowledged after 10 min.',
    );
  });

  it('says who resolved it and after how long', () => {
    expect(resolvedLine({ by: 'U0RES', resolution: 'manual', openedAt: OPENED, at: AT }).text).toBe(
      ':white_check_mark: Resolved by <@U0RES> after 10 min.',
    );
  });

  it('says why it auto-resolved after the quiet period', () => {
    const line = resolvedLine({
      by: 'system',
      resolution: 'auto',
      openedAt: OPENED,
      at: '2024-05-01T10:25:00.000Z',
      reason: 'below threshold for 15 min',
    });
    expect(line.text).toBe(
      ':white_check_mark: Recovered: below threshold for 15 min. Auto-resolved after 25 min.',
    );
  });

  it('says when the bot can reach Auth0 again', () => {
    expect(auth0ReachableLine({ since: OPENED, now: AT }).text).toBe(
      ':large_green_circle: The bot can reach the Auth0 Management API again, after 10 min without it.',
    );
  });

  it('escapes and bounds free text so it cannot ping and stays within limits', () => {
    const line = severityChangedLine({ from: 'low', to: 'high', why: '<!channel> '.repeat(1000) });
    expect(line.text).not.toContain('<!channel>');
    expect(line.text).toMatch(/…$/);
    expect(checkBlockKitLimits(line.blocks, { surface: 'message' })).toEqual([]);
  });
});
