import { Writable } from 'node:stream';
import { FakeSlack, SlackDriver } from '@auth0-oncall/fakes/slack';
import { buildApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { Decision } from '../../src/core/detection/model.js';
import type { Severity } from '../../src/core/incidents/model.js';
import { createLogger } from '../../src/logger.js';
import { validEnv } from '../helpers/env.js';
import type { TestScope } from '../helpers/world.js';

/**
 * The real app (buildApp, the production wiring and listeners) against the fake Slack on a clock
 * the test moves, for the owner, paging, severity and notes features (docs/on-call.md).
 * Incidents are opened through the real incident service, as detection opens them.
 */

export const CHANNEL = 'C0ALERTS';
export const OPERATOR = 'U0OPERATOR';
export const ADMIN = 'U0ADMIN';

export interface OwnerWorld {
  readonly slack: FakeSlack;
  readonly app: App;
  readonly driver: SlackDriver;
  advance(ms: number): void;
  /** A detection decision for `scope`, applied by the real service (opens or updates its card). */
  detect(scope: string, severity: Severity, kind?: 'open' | 'update'): Promise<void>;
  /** The incident detection opened for `scope`, with its card. */
  incident(scope: string): { id: string; cardTs: string };
  card(ts: string): string;
  thread(ts: string): string[];
  audit(incidentId: string): string[];
  timeline(incidentId: string): Array<{ kind: string; actor: string; detail: string }>;
  row(incidentId: string): Record<string, unknown>;
}

export const ownerWorld = async (
  scope: TestScope,
  env: { readonly escalationGroup?: string } = {},
): Promise<OwnerWorld> => {
  let now = Date.parse('2026-03-02T09:00:00.000Z');
  const slack = await FakeSlack.start({
    users: [OPERATOR, ADMIN, 'U0VIEWER', 'U0ALICE', 'U0BOB', 'U0CAROL'].map((id) => ({
      id,
      name: id.slice(2).toLowerCase(),
      tz: 'UTC',
    })),
  });
  scope.defer(() => slack.stop());
  const config = loadConfig(
    validEnv({
      SLACK_BOT_TOKEN: slack.options.botToken,
      SLACK_APP_TOKEN: slack.options.appToken,
      SLACK_API_URL: slack.apiUrl,
      SLACK_OPERATORS: `${OPERATOR},${ADMIN}`,
      SLACK_ESCALATION_GROUP: env.escalationGroup,
      DATABASE_PATH: scope.dbPath(),
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: '0',
    }),
  );
  const logger = createLogger(
    { level: 'warn' },
    new Writable({
      write(_c, _e, cb) {
        cb();
      },
    }),
  );
  const app = buildApp({
    config,
    logger,
    version: 'test',
    overrides: { now: () => new Date(now), slackRetry: { retries: 0 } },
  });
  await app.slack.start();
  scope.defer(async () => {
    await app.slack.stop();
    app.db.close();
  });
  const db = app.db.db;
  const decision = (scopeName: string, severity: Severity, kind: 'open' | 'update'): Decision => ({
    kind,
    signal: 'failed_logins',
    scope: scopeName,
    severity,
    title: `Failed logins on ${scopeName}`,
    evidence: {
      window: { from: new Date(now - 300_000).toISOString(), to: new Date(now).toISOString(), minutes: 5 },
      failures: 120,
      rate: 24,
      suspects: [],
    },
  });
  return {
    slack,
    app,
    driver: new SlackDriver(slack, { command: '/auth0', channelId: CHANNEL }),
    advance: (ms) => {
      now += ms;
    },
    detect: (scopeName, severity, kind = 'open') =>
      app.incidents.service.apply([decision(scopeName, severity, kind)]),
    incident: (scopeName) => {
      const row = db
        .prepare<[string], { id: string; slack_ts: string | null }>(
          'SELECT id, slack_ts FROM incidents WHERE scope = ? ORDER BY opened_at DESC',
        )
        .get(scopeName);
      if (!row?.slack_ts) throw new Error(`no card for ${scopeName}`);
      return { id: row.id, cardTs: row.slack_ts };
    },
    card: (ts) => JSON.stringify(slack.message(CHANNEL, ts)?.blocks ?? []),
    thread: (ts) =>
      slack
        .threadReplies(CHANNEL, ts)
        .filter((m) => m.ts !== ts)
        .map((m) => m.text ?? ''),
    audit: (incidentId) =>
      db
        .prepare<[string], string>(
          "SELECT action || ':' || outcome FROM audit_log WHERE incident_id = ? ORDER BY id",
        )
        .pluck()
        .all(incidentId),
    timeline: (incidentId) =>
      db
        .prepare<[string], { kind: string; actor: string; detail: string }>(
          'SELECT kind, actor, detail FROM incident_events WHERE incident_id = ? ORDER BY id',
        )
        .all(incidentId),
    row: (incidentId) =>
      db.prepare<[string], Record<string, unknown>>('SELECT * FROM incidents WHERE id = ?').get(incidentId) ??
      {},
  };
};
