import { describe, expect, it } from 'vitest';
import type { Severity } from '../../../../src/core/incidents/model.js';
import {
  escapeWithin,
  formatDuration,
  formatPercent,
  formatRate,
  formatWindow,
  severityLabel,
  signalName,
  slackDate,
  untrusted,
  userRef,
} from '../../../../src/slack/blocks/incident-format.js';

describe('incident formatting', () => {
  it('labels each severity with one consistent emoji and word', () => {
    expect((['high', 'medium', 'low', 'info'] satisfies Severity[]).map(severityLabel)).toEqual([
      ':red_circle: High',
      ':large_orange_circle: Medium',
      ':large_yellow_circle: Low',
      ':large_blue_circle: Info',
    ]);
  });

  it('names signals in words, and an unknown one readably and safely', () => {
    expect(signalName('m2m_token_failures')).toBe('M2M token failures');
    expect(signalName('auth0_unreachable')).toBe('Bot cannot reach Auth0');
    expect(signalName('new_<thing>')).toBe('New &lt;thing&gt;');
  });

  it('writes durations in minutes, hours and days', () => {
    expect(formatDuration(20_000)).toBe('less than a minute');
    expect(formatDuration(4 * 60_000)).toBe('4 min');
    expect(formatDuration(125 * 60_000)).toBe('2 h 5 min');
    expect(formatDuration(3 * 3_600_000)).toBe('3 h');
    expect(formatDuration(28 * 3_600_000)).toBe('1 d 4 h');
    expect(formatWindow(5)).toBe('last 5 min');
  });

  it('writes a Slack date token with a UTC fallback', () => {
    expect(slackDate('2024-05-01T10:00:00.000Z')).toBe(
      '<!date^1714557600^{date_short_pretty} at {time}|2024-05-01 10:00 UTC>',
    );
    expect(slackDate('not a date <!channel>')).toBe('not a date &lt;!channel&gt;');
  });

  it('writes percentages and rates without false precision, and a small share not as 0%', () => {
    expect(formatPercent(0.8)).toBe('80%');
    expect(formatPercent(0.004)).toBe('0.4%');
    expect(formatRate(48.3)).toBe('48/min');
    expect(formatRate(2.54)).toBe('2.5/min');
  });

  it('escapes before cutting, so the result fits and never ends in half an entity', () => {
    const out = escapeWithin('<'.repeat(100), 20);
    expect(out.length).toBeLessThanOrEqual(20);
    expect(out).toBe('&lt;&lt;&lt;&lt;…');
  });

  it('puts a log value on one line without invisible or direction-changing characters', () => {
    expect(untrusted('a\nb\u202ec\u200bd\t', 60)).toBe('a b c d');
    expect(untrusted(' \n', 60)).toBe('_(empty)_');
  });

  it('mentions Slack users by id and shows anything else as text', () => {
    expect(userRef('U0ACK')).toBe('<@U0ACK>');
    expect(userRef('system')).toBe('auth0-oncall');
    expect(userRef('<!channel>')).toBe('&lt;!channel&gt;');
  });
});
