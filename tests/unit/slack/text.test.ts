import { describe, expect, it } from 'vitest';
import { escapeMrkdwn, truncate } from '../../../src/slack/blocks/text.js';

describe('truncate', () => {
  it('leaves short text alone', () => {
    expect(truncate('abc', 3)).toBe('abc');
  });

  it('cuts long text to the limit and marks the cut', () => {
    const out = truncate('abcdefgh', 5);
    expect(out).toBe('abcd…');
    expect(out.length).toBe(5);
  });

  it('never leaves half of a surrogate pair', () => {
    const out = truncate('ab😀cd', 4);
    expect(out).toBe('ab…');
  });
});

describe('escapeMrkdwn', () => {
  it('escapes the control characters so user text cannot mention or link', () => {
    expect(escapeMrkdwn('<!channel> & <@U1>')).toBe('&lt;!channel&gt; &amp; &lt;@U1&gt;');
  });
});
