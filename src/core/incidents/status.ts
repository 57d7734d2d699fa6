import { formatDuration, plural, type StatusProvider } from '../status/model.js';
import type { IncidentStats } from './incident-stats.js';

const ms = (value: number | undefined) => (value === undefined ? 'n/a' : formatDuration(value));

/** The "Incidents" section of `/auth0 status`: open counts and MTTA / MTTR. */
export const incidentStatusProvider = (stats: () => IncidentStats): StatusProvider => ({
  title: 'Incidents',
  read: () => {
    const s = stats();
    const open = s.open.high + s.open.medium + s.open.low + s.open.info;
    const all = s.bySeverity.all;
    return {
      title: 'Incidents',
      items: [
        {
          label: 'open',
          value:
            open === 0
              ? 'none'
              : `${open} (${s.open.high} high, ${s.open.medium} medium, ${s.open.low + s.open.info} low/info)`,
          level: s.open.high > 0 ? 'error' : open > 0 ? 'warn' : 'ok',
        },
        {
          label: `MTTA (${s.days}d)`,
          value: `${ms(all.mttaMs)} over ${plural(all.count, 'incident')}`,
          level: 'info',
        },
        { label: `MTTR (${s.days}d)`, value: ms(all.mttrMs), level: 'info' },
        {
          label: 'MTTA / MTTR high',
          value: `${ms(s.bySeverity.high.mttaMs)} / ${ms(s.bySeverity.high.mttrMs)}`,
          level: 'info',
        },
      ],
    };
  },
});
