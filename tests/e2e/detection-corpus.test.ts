import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { FakeAuth0 } from '@auth0-oncall/fakes/auth0';
import { FakeSlack, waitFor } from '@auth0-oncall/fakes/slack';
import { spawnApp } from '../../sandbox/app-process.js';
import { validEnv } from '../helpers/env.js';
import { normalMinute, type RawEntry } from '../helpers/normal-traffic.js';
import { loadScenario, scenarioEntries, scenarioNames } from '../helpers/scenarios.js';
import { eventually } from '../helpers/eventually.js';
import { testScope } from '../helpers/world.js';

/**
 * The whole detection corpus (tests/fixtures/auth0-scenarios) through the built app: for each
 * scenario, a fresh app receives two hours of ordinary traffic and the scenario through the Log
 * Stream, and must open exactly the scenario's cards — titles, severities, named actors — and post
 * each one to Slack.
 */

const scope = testScope('e2e-corpus');
const BOT = 'botClient0001';
const TOKEN = 'log-stream-token-corpus-0123456789';
const BACKGROUND_MINUTES = 120;
const CHANNEL = 'C0ALERTS';

interface Row {
  readonly signal: string;
  readonly severity: string;
  readonly title: string;
  readonly slack_ts: string | null;
}

const start = async () => {
  const slack = await FakeSlack.start();
  scope.defer(() => slack.stop());
  const auth0 = await FakeAuth0.start({ logRateLimits: false });
  scope.defer(() => auth0.stop());
  auth0.addClient({
    clientId: BOT,
    name: 'auth0-oncall',
    appType: 'non_interactive',
    secret: 'bot-client-secret-value-0001',
  });
  const dbPath = scope.dbPath();
  const app = spawnApp(
    validEnv({
      SLACK_BOT_TOKEN: slack.options.botToken,
      SLACK_APP_TOKEN: slack.options.appToken,
      SLACK_API_URL: slack.apiUrl,
      AUTH0_BASE_URL: auth0.baseUrl,
      AUTH0_CLIENT_ID: BOT,
      DATABASE_PATH: dbPath,
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: '0',
      LOG_STREAM_TOKEN: TOKEN,
    }),
  );
  scope.defer(() => app.stop());
  const listening = await app.waitForLog('http.listening', 15_000);
  await app.waitForLog('app.ready', 15_000);
  const base = `http://127.0.0.1:${String(listening.port)}`;

  const post = async (entries: readonly RawEntry[]) => {
    for (let i = 0; i < entries.length; i += 1_000) {
      const res = await fetch(`${base}/auth0/log-stream`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(entries.slice(i, i + 1_000)),
      });
      expect(res.status, await res.text()).toBe(200);
    }
  };
  const evaluations = async (): Promise<number> => {
    const text = await (await fetch(`${base}/metrics`)).text();
    const line = /auth0oncall_background_tasks_total\{task="detect\.on_logs",outcome="ok"\} (\d+)/.exec(text);
    return Number(line?.[1] ?? 0);
  };
  let sentinel = 0;
  /**
   * Returns once an evaluation that started after everything posted so far has finished: two
   * rounds of "post one harmless entry, wait for one more finished evaluation" (the first round's
   * may be a run already under way; the evaluation it queued, or a later one, ends the second).
   */
  const settle = async () => {
    for (let round = 0; round < 2; round++) {
      const before = await evaluations();
      await post([
        {
          log_id: `sentinel-${++sentinel}`,
          date: new Date().toISOString(),
          type: 'slo',
          client_id: 'WebApp0000000000000001',
        },
      ]);
      await eventually(async () => ((await evaluations()) > before ? true : undefined), {
        timeoutMs: 30_000,
      });
    }
  };
  const incidents = (): Row[] => {
    const db = new Database(dbPath, { readonly: true, fileMustExist: true });
    try {
      return db.prepare<[], Row>('SELECT signal, severity, title, slack_ts FROM incidents ORDER BY id').all();
    } finally {
      db.close();
    }
  };
  return { slack, post, settle, incidents };
};

const background = (endMs: number): RawEntry[] => {
  const lastMinute = Math.floor(endMs / 60_000);
  const entries: RawEntry[] = [];
  for (let m = lastMinute - BACKGROUND_MINUTES; m < lastMinute; m++) {
    entries.push(...normalMinute(m, m * 60_000, BOT).filter((e) => Date.parse(String(e.date)) <= endMs));
  }
  return entries;
};

/**
 * The replay's end, as the unit corpus test has it: 30 s into the current minute, so that the
 * scenario's oldest events fall in the same minutes of the 5-minute window whenever the test runs.
 * Late in a minute it first waits for the next one (the replay must finish in the minute it starts).
 */
const replayEnd = async (): Promise<number> => {
  await eventually(() => Promise.resolve(Date.now() % 60_000 < 35_000 ? true : undefined), {
    timeoutMs: 30_000,
  });
  return Math.floor(Date.now() / 60_000) * 60_000 + 30_000;
};

describe('the detection corpus through the built app', () => {
  it.each(scenarioNames())('%s: exactly its cards, posted to Slack', async (name) => {
    const scenario = loadScenario(name);
    const w = await start();
    const end = await replayEnd();
    await w.post(background(end));
    await w.post(scenarioEntries(scenario, end));
    await w.settle();

    const expected = scenario.expect.cards;
    const opened = w.incidents();
    expect(opened.map((i) => i.signal).sort()).toEqual(expected.map((c) => c.signal).sort());
    for (const card of expected) {
      const row = opened.find((i) => i.signal === card.signal);
      expect(row?.severity, `${card.signal} severity`).toBe(card.severity);
      expect(row?.title, `${card.signal} title`).toMatch(new RegExp(card.title));
    }
    // Each card reaches the channel (through the outbox), its headline being the title.
    const posted = await waitFor(
      () => {
        const texts = w.slack.channelMessages(CHANNEL).map((m) => JSON.stringify(m));
        return opened.every((i) => texts.some((t) => t.includes(JSON.stringify(i.title).slice(1, -1))))
          ? texts
          : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 50 },
    );
    expect(posted.length).toBeGreaterThanOrEqual(opened.length);
  });
});
