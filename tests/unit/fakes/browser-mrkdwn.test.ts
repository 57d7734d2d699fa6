import { describe, expect, it } from 'vitest';
import { mrkdwnToHtml, plainToHtml } from '@auth0-oncall/fakes/slack/browser/client/mrkdwn';

const names: Record<string, string> = { U1: 'alice', U2: 'bob <b>' };
const ctx = { userName: (id: string) => names[id] };
const md = (text: string) => mrkdwnToHtml(text, ctx);

describe('mrkdwnToHtml: escaping', () => {
  it('escapes raw HTML in the text', () => {
    expect(md('hi <script>alert(1)</script> & "q" \'s\'')).not.toContain('<script');
    expect(md('a "q" \'s\' b')).toBe('a &quot;q&quot; &#39;s&#39; b');
    expect(md('<img src=x onerror=alert(1)>')).toBe('img src=x onerror=alert(1)');
  });

  it('decodes Slack entities once, and decoded text never becomes markup', () => {
    expect(md('&lt;script&gt;alert(1)&lt;/script&gt;')).toBe('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(md('a &amp; b')).toBe('a &amp; b');
    // `&amp;lt;` is the app's escape of the literal text `&lt;`: it must show as `&lt;`, not `<`.
    expect(md('&amp;lt;b&amp;gt;')).toBe('&amp;lt;b&amp;gt;');
    // An escaped link is text, not a link.
    expect(md('&lt;https://evil.example|click&gt;')).toBe('&lt;https://evil.example|click&gt;');
    expect(md('&lt;!channel&gt;')).toBe('&lt;!channel&gt;');
  });

  it('drops private-use placeholder characters from the source', () => {
    expect(md('x\uE0000\uE001y')).toBe('x0y');
  });
});

describe('mrkdwnToHtml: links', () => {
  it('renders http(s) and mailto links with label, target and rel', () => {
    expect(md('<https://example.com/a?b=1&amp;c=2|the label>')).toBe(
      '<a href="https://example.com/a?b=1&amp;c=2" target="_blank" rel="noopener noreferrer">the label</a>',
    );
    expect(md('<https://example.com>')).toContain('>https://example.com</a>');
    expect(md('<mailto:a@b.example|mail>')).toContain('href="mailto:a@b.example"');
  });

  it('does not link other schemes', () => {
    expect(md('<javascript:alert(1)|x>')).toBe('x');
    expect(md('<javascript:alert(1)>')).toBe('javascript:alert(1)');
    expect(md('<data:text/html,hi|y>')).not.toContain('<a');
  });

  it('cannot break out of the href or the label', () => {
    const html = md('<https://x.example/" onmouseover="alert(1)|<b>label</b>>');
    // The token ends at the first `>`, so the label is `<b` and the rest is text; nothing is a tag.
    expect(html).not.toMatch(/<b>|onmouseover="/);
    expect(md('<https://x.example/"onclick="alert(1)|a &lt;b&gt; "c">')).toBe(
      '<a href="https://x.example/&quot;onclick=&quot;alert(1)" target="_blank" rel="noopener noreferrer">a &lt;b&gt; &quot;c&quot;</a>',
    );
  });

  it('formatting does not reach into urls', () => {
    expect(md('<https://x.example/a_b_c|go> _it_')).toBe(
      '<a href="https://x.example/a_b_c" target="_blank" rel="noopener noreferrer">go</a> <i>it</i>',
    );
  });
});

describe('mrkdwnToHtml: formatting', () => {
  it('bold, italic, strike, nested', () => {
    expect(md('*bold* _it_ ~gone~')).toBe('<b>bold</b> <i>it</i> <s>gone</s>');
    expect(md('*_both_*')).toBe('<b><i>both</i></b>');
  });

  it('leaves snake_case and lone markers alone, and shows a known shortcode as its emoji', () => {
    expect(md('step_id_here :white_check_mark: 2 * 3 * 4')).toBe('step_id_here ✅ 2 * 3 * 4');
  });

  it('code spans are not formatted inside', () => {
    expect(md('run `a *b* &lt;c&gt;` now')).toBe('run <code>a *b* &lt;c&gt;</code> now');
  });

  it('pre blocks keep newlines and are not formatted', () => {
    expect(md('before\n```\nline *1*\n&lt;b&gt;x\n```\nafter')).toBe(
      'before<br><pre class="mrkdwn-pre">line *1*\n&lt;b&gt;x</pre><br>after',
    );
  });

  it('quotes group consecutive > lines', () => {
    expect(md('> one\n> *two*\nthree')).toBe('<blockquote>one<br><b>two</b></blockquote>three');
    expect(md('&gt; quoted as Slack clients send it')).toBe(
      '<blockquote>quoted as Slack clients send it</blockquote>',
    );
    expect(md('a > b')).toBe('a &gt; b');
  });

  it('newlines become <br>', () => {
    expect(md('a\nb')).toBe('a<br>b');
  });
});

describe('mrkdwnToHtml: mentions', () => {
  it('user mentions use the lookup, escaped, falling back to the label or id', () => {
    expect(md('hi <@U1>')).toBe('hi <span class="mention">@alice</span>');
    expect(md('<@U2>')).toBe('<span class="mention">@bob &lt;b&gt;</span>');
    expect(md('<@U9|carol>')).toBe('<span class="mention">@carol</span>');
    expect(md('<@U9>')).toBe('<span class="mention">@U9</span>');
  });

  it('channel mentions', () => {
    expect(md('<#C1|alerts>')).toBe('<span class="mention">#alerts</span>');
    expect(md('<#C1>')).toBe('<span class="mention">#C1</span>');
    expect(mrkdwnToHtml('<#C1>', { ...ctx, channelName: () => 'ops' })).toBe(
      '<span class="mention">#ops</span>',
    );
  });

  it('special mentions are highlighted text', () => {
    expect(md('<!here> <!channel>')).toBe(
      '<span class="mention special">@here</span> <span class="mention special">@channel</span>',
    );
    expect(md('<!subteam^S123|@oncall>')).toBe('<span class="mention special">@oncall</span>');
    expect(md('<!subteam^S123>')).toBe('<span class="mention special">@S123</span>');
  });

  it('dates show their fallback', () => {
    expect(md('<!date^1700000000^{date_short} {time}|2023-11-14T22:13:20Z>')).toBe(
      '<span class="date">2023-11-14T22:13:20Z</span>',
    );
    expect(md('<!date^1700000000^{date}>')).toBe('<span class="date">2023-11-14T22:13:20.000Z</span>');
  });
});

describe('plainToHtml', () => {
  it('escapes everything and keeps newlines, with known shortcodes as emoji', () => {
    expect(plainToHtml(':red_circle: <b>"x"</b> &amp;\nnext')).toBe(
      '🔴 &lt;b&gt;&quot;x&quot;&lt;/b&gt; &amp;amp;<br>next',
    );
  });
});

describe('emoji shortcodes', () => {
  it('shows the shortcodes the app uses as emoji, and leaves unknown names and times alone', () => {
    expect(mrkdwnToHtml(':red_circle: *High* at 02:20:15', ctx)).toBe('🔴 <b>High</b> at 02:20:15');
    expect(plainToHtml(':white_check_mark: done :not_an_emoji:')).toBe('✅ done :not_an_emoji:');
    expect(plainToHtml(':constructor: :__proto__:')).toBe(':constructor: :__proto__:');
    // Code stays literal.
    expect(mrkdwnToHtml('`:x:` :x:', ctx)).toBe('<code>:x:</code> ❌');
  });
});
