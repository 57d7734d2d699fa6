import { Writable } from 'node:stream';
import { SlackDriver, type FakeSlack } from '@auth0-oncall/fakes/slack';
import { buildApp, type App } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import type { NewIncidentStep } from '../../src/core/incidents/model.js';
import type { StepRunner } from '../../src/core/steps/step-runner.js';
import { createLogger } from '../../src/logger.js';
import { SqliteAuditLog, SqliteIdempotencyClaims, SqliteIncidentStore } from '../../src/store/index.js';
import { validEnv } from '../helpers/env.js';
import type { CountingActions } from '../unit/core/steps/counting-catalog.js';

/**
 * The real app (buildApp, the production wiring, step runner and listeners included) against the
 * fake Slack, with a catalog of counting actions.
 */

export const CHANNEL = 'C0ALERTS';
const OPERATORS = ['U0OPERATOR', 'U0ADMIN'];

export interface StepApp {
  readonly app: App;
  readonly config: Config;
  readonly runner: StepRunner;
  readonly incidents: SqliteIncidentStore;
  readonly claims: SqliteIdempotencyClaims;
  readonly audit: SqliteAuditLog;
  readonly errors: { readonly length: number };
  stop(): Promise<void>;
}

/** Boots the app on `dbPath`; settles any run a previous boot left unfinished before connecting. */
export const bootStepApp = async (
  slack: FakeSlack,
  dbPath: string,
  actions: CountingActions,
  opts: { readonly now?: () => Date } = {},
): Promise<StepApp> => {
  const config = loadConfig(
    validEnv({
      SLACK_BOT_TOKEN: slack.options.botToken,
      SLACK_APP_TOKEN: slack.options.appToken,
      SLACK_API_URL: slack.apiUrl,
      SLACK_OPERATORS: OPERATORS.join(','),
      DATABASE_PATH: dbPath,
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: '0',
    }),
  );
  const lines: string[] = [];
  const logger = createLogger(
    { level: 'warn' },
    new Writable({
      write(chunk: Buffer, _e, cb) {
        lines.push(chunk.toString());
        cb();
      },
    }),
  );
  // The production wiring, with a catalog of actions that count their runs.
  const app = buildApp({
    config,
    logger,
    version: 'test',
    overrides: {
      slackRetry: { retries: 0 },
      ...(opts.now ? { now: opts.now } : {}),
      catalog: actions.catalog(),
    },
  });
  const runner = app.incidents.steps;
  const incidents = new SqliteIncidentStore(app.db);
  const claims = new SqliteIdempotencyClaims(app.db);
  const audit = new SqliteAuditLog(app.db);
  /** Failures the runner and the step listeners reported (logged by the app as steps.*). */
  const errors = {
    get length() {
      return lines.filter((l) => /"event":"steps\.(failed|ephemeral_failed)"/.test(l)).length;
    },
  };
  await runner.recoverRunning();
  await app.slack.start();
  let stopped = false;
  return {
    app,
    config,
    runner,
    incidents,
    claims,
    audit,
    errors,
    async stop() {
      if (stopped) return;
      stopped = true;
      await app.slack.stop();
      app.db.close();
    },
  };
};

export const actionStep = (stepId: string, over: Partial<NewIncidentStep> = {}): NewIncidentStep => ({
  stepId,
  kind: 'action',
  title: `Re-check ${stepId}`,
  body: 'Counts the failures again.',
  action: 'recheck_signal',
  params: { target: stepId },
  ...over,
});

/** An open incident with the given runbook, its card posted to the alert channel by the real service. */
export const openIncident = async (
  s: StepApp,
  id: string,
  steps: readonly NewIncidentStep[],
): Promise<{ id: string; cardTs: string }> => {
  const at = new Date().toISOString();
  s.incidents.open({
    id,
    signal: 'm2m_token_failures',
    scope: id,
    severity: 'high',
    title: `Token failures ${id}`,
    at,
  });
  s.incidents.setSteps(id, steps, at);
  await s.app.incidents.service.repostMissingCards();
  const cardTs = s.incidents.get(id)?.slackTs;
  if (!cardTs) throw new Error(`the card of ${id} was not posted`);
  return { id, cardTs };
};

/** A click on any action_id of a message in the alert channel, whether or not the card shows it. */
export const rawClick = (slack: FakeSlack, user: string, target: { actionId: string; messageTs: string }) =>
  new SlackDriver(slack, { channelId: CHANNEL }).rawClick(user, target);

/** The user closes a modal with Cancel. */
export const closeModal = (slack: FakeSlack, user: string, viewId: string) =>
  new SlackDriver(slack, { channelId: CHANNEL }).closeModal(user, viewId);
