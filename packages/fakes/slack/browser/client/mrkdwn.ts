/**
 * Slack mrkdwn and plain_text as safe HTML. Pure (no DOM), so Node tests import it.
 *
 * The source is what the app sent: `<…>` is control (links, mentions), and a literal `&`, `<`, `>`
 * arrives as `&amp;`, `&lt;`, `&gt;`. Control tokens are parsed from the raw source first and put
 * aside as placeholders; the rest is decoded once, HTML-escaped, and only then formatted, so
 * nothing decoded from the source can become a tag, a link or a mention.
 */

export interface MrkdwnContext {
  userName(id: string): string | undefined;
  channelName?(id: string): string | undefined;
}

const escapeHtml = (text: string): string =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

/** Slack's three entities, decoded in one pass: `&amp;lt;` becomes `&lt;`, not `<`. */
const decodeSlack = (text: string): string =>
  text.replace(/&(amp|lt|gt);/g, (_m, name: string) => (name === 'amp' ? '&' : name === 'lt' ? '<' : '>'));

/** The shortcodes the app uses (and a few common ones); any other `:name:` stays as written. */
const EMOJI: Readonly<Record<string, string>> = {
  red_circle: '🔴',
  large_orange_circle: '🟠',
  large_yellow_circle: '🟡',
  large_green_circle: '🟢',
  large_blue_circle: '🔵',
  white_circle: '⚪',
  white_check_mark: '✅',
  heavy_check_mark: '✔️',
  x: '❌',
  heavy_multiplication_x: '✖️',
  no_entry: '⛔',
  warning: '⚠️',
  rotating_light: '🚨',
  grey_question: '❔',
  information_source: 'ℹ️',
  hourglass_flowing_sand: '⏳',
  tada: '🎉',
  link: '🔗',
  small_blue_diamond: '🔹',
  robot_face: '🤖',
  repeat: '🔁',
  arrows_counterclockwise: '🔄',
  office: '🏢',
  mag: '🔍',
  eyes: '👀',
  double_vertical_bar: '⏸️',
  clipboard: '📋',
  bell: '🔔',
  key: '🔑',
  lock: '🔒',
  fire: '🔥',
};

/** `:name:` as its emoji where the name is known; runs on text that is already escaped. */
export const emojify = (html: string): string =>
  html.replace(
    /:([a-z0-9_+-]+):/g,
    (match, name: string) => (Object.hasOwn(EMOJI, name) ? EMOJI[name] : undefined) ?? match,
  );

/** Plain text as HTML: escaped, newlines kept, known `:emoji:` shortcodes shown as emoji. */
export const plainToHtml = (text: string): string => emojify(escapeHtml(text)).replace(/\r?\n/g, '<br>');

const SAFE_URL = /^(https?:\/\/|mailto:)/i;

const span = (cls: string, text: string) => `<span class="${cls}">${escapeHtml(text)}</span>`;

/** One `<…>` token (without the brackets) as HTML. */
const renderToken = (body: string, ctx: MrkdwnContext): string => {
  const bar = body.indexOf('|');
  const target = bar === -1 ? body : body.slice(0, bar);
  const label = bar === -1 ? undefined : decodeSlack(body.slice(bar + 1));
  if (target.startsWith('@')) {
    const id = target.slice(1);
    return span('mention', `@${ctx.userName(id) ?? label ?? id}`);
  }
  if (target.startsWith('#')) {
    const id = target.slice(1);
    return span('mention', `#${label ?? ctx.channelName?.(id) ?? id}`);
  }
  if (target.startsWith('!')) {
    const [kind = '', arg = ''] = target.slice(1).split('^');
    if (kind === 'date') {
      const seconds = Number(arg);
      const fallback = Number.isFinite(seconds) ? new Date(seconds * 1000).toISOString() : arg;
      return span('date', label ?? fallback);
    }
    if (kind === 'subteam') return span('mention special', label ?? `@${arg}`);
    return span('mention special', `@${label ?? kind}`);
  }
  const url = decodeSlack(target);
  const shown = label ?? url.replace(/^mailto:/i, '');
  if (!SAFE_URL.test(url)) return escapeHtml(label ?? url);
  return `<a href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer">${escapeHtml(shown)}</a>`;
};

// Placeholders are private-use characters, removed from the source before any are made.
const OPEN = '\uE000';
const CLOSE = '\uE001';
const PLACEHOLDER = /\uE000(\d+)\uE001/g;

/** Bold, italic, strike on escaped text (markers only match at word boundaries, as in Slack). */
const inline = (html: string): string =>
  emojify(html)
    .replace(/(^|[^\w*])\*(?=\S)([^*\n]*?\S)\*(?![\w*])/g, '$1<b>$2</b>')
    .replace(/(^|[^\w_])_(?=\S)([^_\n]*?\S)_(?![\w_])/g, '$1<i>$2</i>')
    .replace(/(^|[^\w~])~(?=\S)([^~\n]*?\S)~(?![\w~])/g, '$1<s>$2</s>');

/** Slack mrkdwn as HTML. Every piece of text is escaped; links are http(s)/mailto only. */
export const mrkdwnToHtml = (text: string, ctx: MrkdwnContext): string => {
  const parts: string[] = [];
  const hold = (html: string) => `${OPEN}${String(parts.push(html) - 1)}${CLOSE}`;
  const escaped = (raw: string) => escapeHtml(decodeSlack(raw));

  let source = text.replace(/[\uE000\uE001]/g, '');
  source = source.replace(/<([^<>\n]+)>/g, (_m, body: string) => hold(renderToken(body, ctx)));
  source = source.replace(/```\n?([\s\S]*?)```/g, (_m, body: string) =>
    hold(`<pre class="mrkdwn-pre">${escaped(body).replace(/\n$/, '')}</pre>`),
  );
  source = source.replace(/`([^`\n]+)`/g, (_m, body: string) => hold(`<code>${escaped(body)}</code>`));

  // Quotes: a line starting with `>` (Slack's clients send it as `&gt;`); consecutive lines group.
  const out: string[] = [];
  let quote: string[] = [];
  const flushQuote = () => {
    if (quote.length > 0) out.push(`<blockquote>${quote.join('<br>')}</blockquote>`);
    quote = [];
  };
  for (const line of source.split('\n')) {
    const marker = /^(?:>|&gt;) ?/.exec(line);
    if (marker) {
      quote.push(inline(escaped(line.slice(marker[0].length))));
    } else {
      flushQuote();
      out.push(inline(escaped(line)) + '\n');
    }
  }
  flushQuote();
  const body = out
    .join('')
    .replace(/\n$/, '')
    .replace(/\n(?=<blockquote>)/g, '')
    .replace(/\n/g, '<br>');

  const restore = (html: string): string =>
    html.replace(PLACEHOLDER, (_m, index: string) => restore(parts[Number(index)] ?? ''));
  return restore(body);
};
