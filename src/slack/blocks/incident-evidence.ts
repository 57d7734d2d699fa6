import type { KnownBlock, MrkdwnElement, SectionBlock } from '@slack/types';
import { sparkline } from '../../core/detection/curve.js';
import type { Evidence, TopItem } from '../../core/detection/model.js';
import type { Incident } from '../../core/incidents/model.js';
import {
  between,
  formatCount,
  formatDuration,
  formatMultiple,
  formatPercent,
  formatRate,
  formatWindow,
  slackDate,
  suspectLine,
  untrusted,
} from './incident-format.js';
import { LIMITS, truncate } from './text.js';

/**
 * An incident's evidence in Block Kit: the compact lines of the card (numbers, the last hour's
 * curve against the baseline, the likely cause) and the whole of it for the Details modal (every
 * number, the top lists, every suspect). Everything from the logs is attacker-controlled: cleaned,
 * escaped and bounded here.
 */

const BOUNDS = { topItems: 5, topValue: 60, suspects: 5, summary: 500, ip: 60 } as const;

const mrkdwn = (text: string): MrkdwnElement => ({ type: 'mrkdwn', text });
const section = (text: string): SectionBlock => ({
  type: 'section',
  text: mrkdwn(truncate(text, LIMITS.sectionText)),
});

/** Watcher signals (a certificate, a credential) have a summary and no traffic numbers. */
const hasTraffic = (e: Evidence): boolean => !(e.failures === 0 && e.rate === 0 && e.summary !== undefined);

/** `~3/5 min`: the baseline per bucket of the curve, so the two read in the same unit. */
const perBucket = (perMinute: number, minutes: number): string => {
  const n = perMinute * minutes;
  const shown = n >= 10 ? formatCount(n) : n.toLocaleString('en-US', { maximumFractionDigits: 1 });
  return `~${shown}/${String(minutes)} min`;
};

/** `usual: ~3/5 min (now 6×)`, `usual: none`, or when a baseline will exist. */
const usualText = (e: Evidence, minutes: number): string => {
  if (e.baseline === undefined) {
    return e.baselineFrom === undefined
      ? 'no baseline yet'
      : `baseline from ${slackDate(e.baselineFrom, '{time}')}`;
  }
  if (e.baseline <= 0) return 'usual: none';
  return `usual: ${perBucket(e.baseline, minutes)} (now ${formatMultiple(e.rate / e.baseline)})`;
};

/** `*90* failures in the last 5 min · 18/min · 95% failing` and the curve line below it. */
export const cardNumbers = (e: Evidence): KnownBlock[] => {
  if (!hasTraffic(e)) return [];
  const ratio = e.ratio === undefined ? '' : `  ·  ${formatPercent(e.ratio)} failing`;
  const first = `*${formatCount(e.failures)}* failures in the ${formatWindow(e.window.minutes)}  ·  ${formatRate(e.rate)}${ratio}`;
  const curve =
    e.curve === undefined
      ? usualText(e, e.window.minutes)
      : `\`${sparkline(e.curve.counts, (e.baseline ?? 0) * e.curve.bucketMinutes)}\` last hour to ${slackDate(e.curve.to, '{time}')}  ·  ${usualText(e, e.curve.bucketMinutes)}`;
  return [section(`${first}\n${curve}`)];
};

const topReason = (e: Evidence): string | undefined => {
  const top = [...(e.topReasons ?? [])].sort((a, b) => b.count - a.count)[0];
  if (top === undefined) return undefined;
  return `*Top reason:* \`${untrusted(top.value, BOUNDS.topValue).replace(/`/g, "'")}\` ×${formatCount(top.count)}`;
};

/** The lines that say why: a correlated change, one source IP, the top reason, the likeliest suspect. */
const causeLines = (incident: Incident, e: Evidence): string[] => {
  const lines: string[] = [];
  const c = e.correlation;
  if (c !== undefined) {
    const what = c.kind === 'signing_key_rotation' ? 'a signing-key rotation' : 'a secret change';
    const gap = between(c.at, incident.openedAt);
    const when = gap >= 0 ? `Started ${formatDuration(gap)} after ${what}` : `Close to ${what}`;
    lines.push(`:link: *${when}* (${slackDate(c.at)}): ${untrusted(c.detail, 200)}`);
  }
  if (e.singleSourceIp !== undefined) {
    const ip = untrusted(e.singleSourceIp, BOUNDS.ip);
    lines.push(
      `:office: Most of this comes from one IP: \`${ip}\` — an office NAT blocked by attack protection?`,
    );
  }
  return lines;
};

/** The card's "cause" section: the summary, the callouts, the top reason and the first suspect. */
export const cardCause = (incident: Incident, e: Evidence): KnownBlock[] => {
  const lines = [
    ...(e.summary === undefined ? [] : [untrusted(e.summary, BOUNDS.summary)]),
    ...causeLines(incident, e),
  ];
  const reason = topReason(e);
  if (reason !== undefined && hasTraffic(e)) lines.push(reason);
  const [suspect] = e.suspects;
  if (suspect !== undefined) {
    const more = e.suspects.length - 1;
    lines.push(
      `*Possible cause:* ${suspectLine(suspect)}${more > 0 ? ` _(+${String(more)} more in Details)_` : ''}`,
    );
  }
  return lines.length === 0 ? [] : [section(lines.join('\n'))];
};

// ---- The whole evidence, for the Details modal ----

const numberFields = (e: Evidence): MrkdwnElement[] => {
  const ratio = e.ratio === undefined ? [] : [mrkdwn(`*Failure ratio*\n${formatPercent(e.ratio)}`)];
  const baseline =
    e.baseline === undefined
      ? usualText(e, e.window.minutes)
      : e.baseline <= 0
        ? 'none (no failures usually)'
        : `${formatRate(e.baseline)} (now ${formatMultiple(e.rate / e.baseline)})`;
  return [
    mrkdwn(`*Failures in window*\n${formatCount(e.failures)}`),
    mrkdwn(`*Rate*\n${formatRate(e.rate)}`),
    ...ratio,
    mrkdwn(`*Baseline*\n${baseline}`),
    mrkdwn(`*Window*\n${formatWindow(e.window.minutes)}`),
  ];
};

const topList = (title: string, items: readonly TopItem[] | undefined): MrkdwnElement[] => {
  if (items === undefined || items.length === 0) return [];
  const shown = [...items].sort((a, b) => b.count - a.count).slice(0, BOUNDS.topItems);
  const lines = shown.map(
    (i) => `\`${untrusted(i.value, BOUNDS.topValue).replace(/`/g, "'")}\` ×${formatCount(i.count)}`,
  );
  const more = items.length - shown.length;
  if (more > 0) lines.push(`… and ${formatCount(more)} more`);
  return [mrkdwn(truncate(`*${title}*\n${lines.join('\n')}`, LIMITS.fieldText))];
};

const topBlocks = (e: Evidence): KnownBlock[] => {
  const fields = [
    ...topList('Top clients', e.topClients),
    ...topList('Top IPs', e.topIps),
    ...topList('Top connections', e.topConnections),
    ...topList('Top user agents', e.topUserAgents),
    ...topList('Top reasons', e.topReasons),
  ];
  return fields.length === 0 ? [] : [{ type: 'section', fields }];
};

const suspectBlocks = (e: Evidence): KnownBlock[] => {
  if (e.suspects.length === 0) return [];
  const newest = [...e.suspects].sort((a, b) => between(a.at, b.at) || 0);
  const lines = newest.slice(0, BOUNDS.suspects).map((s) => `• ${suspectLine(s)}`);
  const more = newest.length - BOUNDS.suspects;
  if (more > 0) lines.push(`… and ${formatCount(more)} more`);
  return [section(`*Recent changes (possible causes)*\n${lines.join('\n')}`)];
};

/** The curve bucket by bucket: what the sparkline on the card stands for. */
const curveBlock = (e: Evidence): KnownBlock[] => {
  if (e.curve === undefined || !hasTraffic(e)) return [];
  const counts = e.curve.counts.map((c) => formatCount(c)).join(' · ');
  return [
    section(
      `*Last hour* (failures per ${String(e.curve.bucketMinutes)} min, oldest first, to ${slackDate(e.curve.to, '{time}')})\n\`${sparkline(e.curve.counts, (e.baseline ?? 0) * e.curve.bucketMinutes)}\`  ${counts}`,
    ),
  ];
};

/** Everything the card shortens or leaves out. */
export const fullEvidenceBlocks = (incident: Incident, e: Evidence): KnownBlock[] => {
  const summary = e.summary === undefined ? [] : [section(untrusted(e.summary, BOUNDS.summary))];
  const callouts = causeLines(incident, e);
  return [
    ...summary,
    ...(hasTraffic(e) ? [{ type: 'section' as const, fields: numberFields(e) }] : []),
    ...curveBlock(e),
    ...(callouts.length === 0 ? [] : [section(callouts.join('\n'))]),
    ...topBlocks(e),
    ...suspectBlocks(e),
  ];
};
