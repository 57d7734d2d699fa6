import type { KnownBlock } from '@slack/types';
import { byLevel, type DoctorReport, type Finding, type FindingLevel } from '../../core/doctor/model.js';
import type { CommandReply } from './help-blocks.js';
import { escapeMrkdwn, LIMITS, truncate } from './text.js';

const emoji: Readonly<Record<FindingLevel, string>> = {
  ok: ':large_green_circle:',
  info: ':white_circle:',
  warn: ':large_yellow_circle:',
  error: ':red_circle:',
};

const count = (report: DoctorReport, level: FindingLevel): number =>
  report.findings.filter((f) => f.level === level).length;

const summary = (report: DoctorReport): string => {
  const errors = count(report, 'error');
  const warnings = count(report, 'warn');
  if (errors + warnings === 0) return `All ${report.findings.length} checks passed.`;
  return `${errors} broken, ${warnings} warning${warnings === 1 ? '' : 's'}, ${count(report, 'ok')} fine.`;
};

// Findings are our own words, but they quote configuration (IDs, secret names): escaped all the same.
const findingText = (f: Finding): string =>
  truncate(
    [
      `${emoji[f.level]} *${escapeMrkdwn(f.check)}*: ${escapeMrkdwn(f.what)}`,
      ...(f.breaks ? [`_Breaks:_ ${escapeMrkdwn(f.breaks)}`] : []),
      ...(f.fix ? [`_Fix:_ ${escapeMrkdwn(f.fix)}`] : []),
    ].join('\n'),
    LIMITS.sectionText,
  );

const section = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });

/** `/auth0 doctor`: every finding, worst first, within the message block limit. */
export const doctorReply = (report: DoctorReport): CommandReply => {
  const findings = byLevel(report.findings);
  const room = LIMITS.messageBlocks - 3;
  const stamp = Math.floor(report.at.getTime() / 1000);
  return {
    response_type: 'ephemeral',
    text: `auth0-oncall setup doctor: ${summary(report)}`,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: 'auth0-oncall setup doctor' } },
      section(summary(report)),
      ...findings.slice(0, room).map((f) => section(findingText(f))),
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: `${findings.length > room ? `${findings.length - room} more not shown · ` : ''}as of <!date^${stamp}^{date_short_pretty} {time_secs}|${report.at.toISOString()}>`,
          },
        ],
      },
    ],
  };
};

const HOME_FINDINGS = 6;

/** The App Home's section: what is wrong, or that all is well; the details are one command away. */
export const doctorHomeBlocks = (report: DoctorReport | undefined): KnownBlock[] => {
  const heading = section('*Setup doctor*');
  if (report === undefined) return [heading, section('Not run yet: `/auth0 doctor` runs it now.')];
  const problems = byLevel(report.findings).filter((f) => f.level === 'error' || f.level === 'warn');
  const shown = problems.slice(0, HOME_FINDINGS);
  return [
    heading,
    section(summary(report)),
    ...shown.map((f) => section(findingText(f))),
    ...(problems.length > 0
      ? [
          {
            type: 'context' as const,
            elements: [{ type: 'mrkdwn' as const, text: 'Every finding: `/auth0 doctor`' }],
          },
        ]
      : []),
  ];
};
