import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { FakeSlack, SlackDriver, waitFor } from '@auth0-oncall/fakes/slack';
import { spawnApp } from '../../sandbox/app-process.js';
import { testScope } from '../helpers/world.js';
import { openDatabase, SqliteIncidentStore } from '../../src/store/index.js';
import { validEnv } from '../helpers/env.js';

/**
 * kill -9 of the built app while a step result is being posted: the result reaches the thread
 * exactly once after the restart, whether Slack never got the post or took it and the answer was
 * lost.
 */

const scope = testScope('e2e-outbox');

const CHANNEL = 'C0ALERTS';
const INCIDENT = 'inc_e2e_outbox';
const ACTION_ID = `step:${INCIDENT}:s1`;
const OUTBOX_KEY = `step:${ACTION_ID}`;

/** An open incident with one harmless step, written before the app starts (its card is posted at start). */
const seed = (dbPath: string) => {
  const db = openDatabase({ path: dbPath });
  try {
    const incidents = new SqliteIncidentStore(db);
    const at = new Date().toISOString();
    // rotation_failed is not a detection signal: nothing auto-resolves it while the test runs.
    incidents.open({
      id: INCIDENT,
      signal: 'rotation_failed',
      scope: 'client:Zx81billing',
      severity: 'low',
      title: 'Rotation of Zx81billing failed',
      at,
    });
    incidents.setSteps(
      INCIDENT,
      [
        {
          stepId: 's1',
          kind: 'action',
          title: 'Check the signal again',
          body: 'Runs detection for this incident now.',
          action: 'recheck_signal',
          params: {},
        },
      ],
      at,
    );
  } finally {
    db.close();
  }
};

const world = async () => {
  const slack = await FakeSlack.start();
  scope.defer(() => slack.stop());
  const dbPath = scope.dbPath();
  seed(dbPath);
  const env = validEnv({
    SLACK_BOT_TOKEN: slack.options.botToken,
    SLACK_APP_TOKEN: slack.options.appToken,
    SLACK_API_URL: slack.apiUrl,
    DATABASE_PATH: dbPath,
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: '0',
  });
  const start = async () => {
    const app = spawnApp(env);
    scope.defer(() => app.stop());
    await app.waitForLog('app.ready', 15_000);
    await slack.waitForConnection({ timeoutMs: 10_000 });
    return app;
  };
  const card = () =>
    waitFor(() => slack.channelMessages(CHANNEL).find((m) => m.text?.includes('Zx81billing')), {
      timeoutMs: 15_000,
    });
  /** The outbox row of the step's result, read from outside as an operator would. */
  const row = () => {
    const db = new Database(dbPath, { readonly: true, fileMustExist: true });
    try {
      return db
        .prepare<[string], { state: string; attempts: number }>(
          'SELECT state, attempts FROM slack_outbox WHERE dedupe_key = ?',
        )
        .get(OUTBOX_KEY);
    } finally {
      db.close();
    }
  };
  const resultLines = (cardTs: string) =>
    slack
      .threadReplies(CHANNEL, cardTs)
      .filter((m) => JSON.stringify(m.metadata ?? null).includes(OUTBOX_KEY));
  const resultPosts = (cardTs: string) =>
    slack.callsTo('chat.postMessage').filter((c) => c.args.thread_ts === cardTs);
  return { slack, start, card, row, resultLines, resultPosts, driver: new SlackDriver(slack) };
};

describe('the built app killed while a step result is posted', () => {
  it.each([
    ['Slack answered 500 and never took the post', false],
    ['Slack took the post but its answer was lost', true],
  ])(
    'delivers the result exactly once after kill -9 and a restart (%s)',
    async (_name, afterEffect) => {
      const w = await world();
      const first = await w.start();
      const cardTs = (await w.card()).ts;

      // Other posts (e.g. the card of an "Auth0 unreachable" incident) pass: only the result's fails.
      w.slack.failNext('chat.postMessage', 'internal_error', {
        httpStatus: 500,
        afterEffect,
        match: (args) => args.thread_ts === cardTs,
      });
      await w.driver.clickButton('U0OPERATOR', {
        actionId: ACTION_ID,
        channelId: CHANNEL,
        messageTs: cardTs,
      });
      // The moment the result's post comes back as a 500, the process dies.
      await waitFor(() => (w.resultPosts(cardTs).some((c) => c.httpStatus === 500) ? true : undefined), {
        timeoutMs: 15_000,
        intervalMs: 2,
      });
      first.child.kill('SIGKILL');
      expect((await first.exited).signal).toBe('SIGKILL');
      expect(w.resultLines(cardTs)).toHaveLength(afterEffect ? 1 : 0);

      const second = await w.start();
      await waitFor(() => (w.resultLines(cardTs).length > 0 ? true : undefined), { timeoutMs: 20_000 });
      // Settled for good: nothing will post it again.
      await waitFor(() => (w.row()?.state === 'delivered' ? true : undefined), { timeoutMs: 20_000 });
      expect(w.resultLines(cardTs)).toHaveLength(1);
      if (afterEffect) {
        // Found by its key in the thread: never posted a second time.
        expect(w.resultPosts(cardTs)).toHaveLength(1);
        expect(w.slack.callsTo('conversations.replies').length).toBeGreaterThan(0);
      }
      second.child.kill('SIGTERM');
      await expect(second.exited).resolves.toMatchObject({ code: 0 });
      // Two starts of the built app on a shared machine: more than the default 20 s.
    },
    60_000,
  );
});
