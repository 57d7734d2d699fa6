import { byLevel, type DoctorReport } from './model.js';

const tag = { error: 'BROKEN', warn: 'WARN  ', info: 'INFO  ', ok: 'OK    ' } as const;

/** The report as plain text: `npm run doctor` prints it, worst first. */
export const formatReport = (report: DoctorReport): string =>
  byLevel(report.findings)
    .map((f) =>
      [
        `${tag[f.level]} ${f.check}: ${f.what}`,
        ...(f.breaks ? [`         breaks: ${f.breaks}`] : []),
        ...(f.fix ? [`         fix:    ${f.fix}`] : []),
      ].join('\n'),
    )
    .join('\n');
