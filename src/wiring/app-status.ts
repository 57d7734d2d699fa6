import { formatDuration, type StatusProvider } from '../core/status/model.js';
import type { StoreDatabase } from '../store/index.js';
import type { SlackApp } from '../slack/app.js';

/** The sections `/auth0 status` shows today; later parts of the app add their own. */
export const statusProviders = (deps: {
  version: string;
  startedAt: Date;
  db: Pick<StoreDatabase, 'health' | 'schemaVersion'>;
  slack: Pick<SlackApp, 'connectedSince' | 'reconnects'>;
  now?: () => number;
}): StatusProvider[] => {
  const now = deps.now ?? Date.now;
  return [
    {
      title: 'Bot',
      read: () => ({
        title: 'Bot',
        items: [
          { label: 'version', value: deps.version, level: 'info' },
          { label: 'uptime', value: formatDuration(now() - deps.startedAt.getTime()), level: 'info' },
          { label: 'node', value: process.version, level: 'info' },
        ],
      }),
    },
    {
      title: 'Slack',
      read: () => {
        const since = deps.slack.connectedSince();
        return {
          title: 'Slack',
          items: [
            since
              ? {
                  label: 'socket',
                  value: `connected for ${formatDuration(now() - since.getTime())}`,
                  level: 'ok',
                }
              : { label: 'socket', value: 'reconnecting', level: 'warn' },
            {
              label: 'reconnects',
              value: String(deps.slack.reconnects()),
              level: deps.slack.reconnects() > 0 ? 'warn' : 'ok',
            },
          ],
        };
      },
    },
    {
      title: 'Database',
      read: () => {
        const health = deps.db.health();
        return {
          title: 'Database',
          items: health.ok
            ? [
                { label: 'state', value: 'open (SQLite, WAL)', level: 'ok' },
                { label: 'schema', value: `version ${deps.db.schemaVersion()}`, level: 'info' },
              ]
            : [{ label: 'state', value: `unhealthy: ${health.problem}`, level: 'error' }],
        };
      },
    },
  ];
};
