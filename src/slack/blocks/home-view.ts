import type { KnownBlock, SectionBlock } from '@slack/types';
import type { AuditEntry } from '../../core/audit/ports.js';
import type { BreakerState } from '../../core/events/health-events.js';
import type { Incident } from '../../core/incidents/model.js';
import type { IncidentStats } from '../../core/incidents/incident-stats.js';
import type { StatusLevel, StatusSection } from '../../core/status/model.js';
import {
  between,
  clean,
  escapeWithin,
  formatDuration,
  severityEmoji,
  severityRank,
  slackDate,
  untrusted,
  userRef,
} from './incident-format.js';
import { LIMITS, truncate } from './text.js';
import { doctorHomeBlocks } from './doctor-blocks.js';
import { ownerListText } from './incident-owner-blocks.js';
import type { DoctorReport } from '../../core/doctor/model.js';
import type { MaintenanceWindow } from '../../core/maintenance/model.js';
import { maintenanceHomeBlocks } from './quiet-blocks.js';
import { recentIncidentBlocks } from './recent-incidents.js';

/**
 * The App Home dashboard: pure, and bounded whatever the data. Every list is capped and says how
 * many it left out, so the view stays far below Slack's limits of 100 blocks and 250 kB
 * with 40 open incidents, 20 rotation targets or hostile titles.
 */

export interface DependencyHealth {
  readonly name: string;
  readonly state: BreakerState;
  readonly lastSuccess?: Date | undefined;
  readonly lastFailure?: { readonly at: Date; readonly reason: string } | undefined;
}

export interface HomeInput {
  /** Unresolved incidents, in any order. */
  readonly incidents: readonly Incident[];
  /** The card's permalink, once it has been posted. */
  permalink(incident: Incident): string | undefined;
  /** One per dependency: Auth0, Secrets Manager, LLM, Slack. */
  readonly dependencies: readonly DependencyHealth[];
  /** Log intake: poller lag and rate-limit budget (e.g. the tenant status section). */
  readonly intake: readonly StatusSection[];
  /** Per rotation target: last rotation, its result and the next slot. */
  readonly rotation: StatusSection;
  readonly stats: { readonly week: IncidentStats; readonly month: IncidentStats };
  /** Newest first; shown to operators only. */
  readonly audit: readonly AuditEntry[];
  /** The setup doctor's last report (undefined until it ran); shown to operators only. */
  readonly doctor?: DoctorReport | undefined;
  /** Active maintenance windows (quiet-blocks.ts); End buttons for operators. */
  readonly maintenance?: readonly MaintenanceWindow[] | undefined;
  /** Incidents resolved in the last 7 days (recent-incidents.ts). */
  readonly recentlyResolved?: readonly Incident[] | undefined;
  readonly now: Date;
}

export interface HomeViewInput extends HomeInput {
  readonly isOperator: boolean;
}

export interface HomeView {
  readonly type: 'home';
  readonly blocks: KnownBlock[];
}

export const HOME_REFRESH_ACTION = 'home:refresh';

/** Caps per list; with ~300 characters a line they keep the view around 12k characters of text. */
const HOME_BOUNDS = {
  incidents: 15,
  title: 90,
  dependencies: 10,
  intakeSections: 3,
  rotation: 10,
  audit: 5,
  value: 200,
} as const;

const levelEmoji: Readonly<Record<StatusLevel, string>> = {
  ok: ':large_green_circle:',
  warn: ':large_yellow_circle:',
  error: ':red_circle:',
  info: ':white_circle:',
};

const section = (text: string): SectionBlock => ({
  type: 'section',
  text: { type: 'mrkdwn', text: truncate(text, LIMITS.sectionText) },
});
const context = (text: string): KnownBlock => ({
  type: 'context',
  elements: [{ type: 'mrkdwn', text: truncate(text, LIMITS.sectionText) }],
});
const heading = (text: string): SectionBlock => section(`*${text}*`);
const more = (left: number): KnownBlock[] => (left > 0 ? [context(`… ${left} more`)] : []);

// Each section holds as many whole lines as fit in its 3,000 characters.
const pack = (lines: readonly string[]): SectionBlock[] => {
  const chunks: string[] = [];
  let current = '';
  for (const l of lines) {
    const next = current === '' ? l : `${current}\n${l}`;
    if (next.length > LIMITS.sectionText && current !== '') {
      chunks.push(current);
      current = l;
    } else current = next;
  }
  if (current !== '') chunks.push(current);
  return chunks.map(section);
};

// A permalink goes inside `<url|label>`: anything that could end it early is refused.
const safeUrl = (url: string | undefined): string | undefined =>
  url !== undefined && /^https:\/\/[^\s<>|]+$/.test(url) && url.length <= 1000 ? url : undefined;

const byUrgency = (a: Incident, b: Incident): number =>
  severityRank[a.severity] - severityRank[b.severity] || between(b.openedAt, a.openedAt) || 0;

const incidentLine = (incident: Incident, input: HomeInput): string => {
  const title = escapeWithin(clean(incident.title), HOME_BOUNDS.title) || 'untitled incident';
  const url = safeUrl(input.permalink(incident));
  const linked = url === undefined ? `*${title}*` : `<${url}|${title}>`;
  const state = ownerListText(incident);
  const escalated = incident.escalatedAt === null ? '' : ` · :rotating_light: escalated`;
  const age = formatDuration(between(incident.openedAt, input.now));
  return `${severityEmoji[incident.severity]} ${linked} — ${state}${escalated} · open ${age} (since ${slackDate(incident.openedAt)})`;
};

const incidentBlocks = (input: HomeInput): KnownBlock[] => {
  const open = input.incidents.filter((i) => i.state !== 'resolved').sort(byUrgency);
  if (open.length === 0) return [heading('Open incidents'), section('No open incidents :tada:')];
  const shown = open.slice(0, HOME_BOUNDS.incidents);
  return [
    heading(`Open incidents (${open.length})`),
    ...pack(shown.map((i) => incidentLine(i, input))),
    ...more(open.length - shown.length),
  ];
};

const breakerText: Readonly<Record<BreakerState, string>> = {
  closed: ':large_green_circle: healthy',
  half_open: ':large_yellow_circle: recovering (half-open)',
  open: ':red_circle: unreachable (circuit open)',
};

const dependencyField = (dep: DependencyHealth): string => {
  const lines = [`*${untrusted(dep.name, 60)}*`, breakerText[dep.state]];
  if (dep.lastSuccess) lines.push(`last success ${slackDate(dep.lastSuccess)}`);
  if (dep.lastFailure && dep.state !== 'closed')
    lines.push(`last failure ${slackDate(dep.lastFailure.at)}: ${untrusted(dep.lastFailure.reason, 150)}`);
  else if (dep.lastFailure) lines.push(`last failure ${slackDate(dep.lastFailure.at)}`);
  if (!dep.lastSuccess && !dep.lastFailure) lines.push('not called yet');
  return lines.join('\n');
};

const dependencyBlocks = (deps: readonly DependencyHealth[]): KnownBlock[] => {
  if (deps.length === 0) return [heading('Dependencies'), section('No dependencies reported.')];
  const shown = deps.slice(0, HOME_BOUNDS.dependencies);
  return [
    {
      type: 'section',
      text: { type: 'mrkdwn', text: '*Dependencies*' },
      fields: shown.map((d) => ({ type: 'mrkdwn', text: truncate(dependencyField(d), LIMITS.fieldText) })),
    },
    ...more(deps.length - shown.length),
  ];
};

const itemText = (s: StatusSection, max: number): string[] =>
  s.items
    .slice(0, max)
    .map(
      (i) =>
        `${levelEmoji[i.level]} *${untrusted(i.label, 80)}*: ${untrusted(i.value, HOME_BOUNDS.value)}${i.at === undefined ? '' : ` (${slackDate(i.at)})`}`,
    );

const intakeBlocks = (sections: readonly StatusSection[]): KnownBlock[] =>
  sections
    .slice(0, HOME_BOUNDS.intakeSections)
    .flatMap((s) => [
      heading(untrusted(s.title, 80)),
      ...(s.items.length === 0 ? [section('Nothing reported yet.')] : pack(itemText(s, LIMITS.fields))),
      ...more(s.items.length - LIMITS.fields),
    ]);

const rotationBlocks = (rotation: StatusSection): KnownBlock[] => [
  heading('Rotation'),
  ...(rotation.items.length === 0
    ? [section('No rotation targets configured.')]
    : pack(itemText(rotation, HOME_BOUNDS.rotation))),
  ...more(rotation.items.length - HOME_BOUNDS.rotation),
];

const ms = (value: number | undefined): string => (value === undefined ? '—' : formatDuration(value));

const statsField = (stats: IncidentStats): string => {
  const all = stats.bySeverity.all;
  const high = stats.bySeverity.high;
  return [
    `*Last ${stats.days} days*`,
    `${all.count} incident${all.count === 1 ? '' : 's'} · MTTA ${ms(all.mttaMs)} · MTTR ${ms(all.mttrMs)}`,
    `${severityEmoji.high} high: ${high.count} · MTTA ${ms(high.mttaMs)} · MTTR ${ms(high.mttrMs)}`,
  ].join('\n');
};

const statsBlocks = (input: HomeInput): KnownBlock[] => [
  {
    type: 'section',
    text: { type: 'mrkdwn', text: '*Response times*' },
    fields: [statsField(input.stats.week), statsField(input.stats.month)].map((text) => ({
      type: 'mrkdwn' as const,
      text: truncate(text, LIMITS.fieldText),
    })),
  },
];

const auditLine = (e: AuditEntry): string =>
  `${slackDate(e.at)} ${userRef(e.actor)} \`${untrusted(e.action, 60)}\` ${e.outcome}: ${untrusted(e.summary, 150)}`;

const auditBlocks = (entries: readonly AuditEntry[]): KnownBlock[] => {
  const shown = entries.slice(0, HOME_BOUNDS.audit);
  return [
    heading('Recent audit entries'),
    ...(shown.length === 0 ? [section('Nothing audited yet.')] : pack(shown.map(auditLine))),
    ...(entries.length > shown.length ? [context('Older entries: `/auth0 audit [n]`')] : []),
  ];
};

const divider: KnownBlock = { type: 'divider' };

export const homeView = (input: HomeViewInput): HomeView => {
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: 'auth0-oncall' } },
    {
      type: 'actions',
      elements: [
        {
          type: 'button',
          action_id: HOME_REFRESH_ACTION,
          text: { type: 'plain_text', text: 'Refresh' },
        },
      ],
    },
    context(`Updated ${slackDate(input.now, '{date_short_pretty} at {time_secs}')}`),
    divider,
    ...incidentBlocks(input),
    ...maintenanceHomeBlocks(input.maintenance, input.isOperator),
    divider,
    ...dependencyBlocks(input.dependencies),
    ...intakeBlocks(input.intake),
    divider,
    ...rotationBlocks(input.rotation),
    divider,
    ...statsBlocks(input),
    ...recentIncidentBlocks(input.recentlyResolved ?? []),
    ...(input.isOperator
      ? [divider, ...doctorHomeBlocks(input.doctor), divider, ...auditBlocks(input.audit)]
      : []),
  ];
  // The caps above keep this to ~45 blocks; this last guard only matters if they are raised.
  return { type: 'home', blocks: blocks.slice(0, LIMITS.viewBlocks) };
};
