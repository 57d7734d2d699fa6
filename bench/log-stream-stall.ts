/**
 * Event-loop stall during a maximal Log Stream request: the real app wiring (buildApp, real
 * SQLite on disk) receives 2 MiB bodies on POST /auth0/log-stream — one of ~700,000 `{}` items,
 * one of valid entries — while `/auth0 help` is sent through the fake Slack every 100 ms. Prints
 * the request time, the longest event-loop stall (perf_hooks histogram, 10 ms resolution) and the
 * slowest slash-command ack seen during each request, and how many `logs.malformed` lines were
 * written. Target: every ack under Slack's 3 s, one malformed-entry line per request.
 *
 *   npx tsx bench/log-stream-stall.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { FakeSlack, SlackDriver } from '@auth0-oncall/fakes/slack';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { benchEnv } from './app-env.js';

const MAX_BODY = 2 * 1024 * 1024;
const TOKEN = 'bench-log-stream-token-0123456789';

const dir = mkdtempSync(join(tmpdir(), 'auth0-oncall-stall-'));
const slack = await FakeSlack.start();
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
const config = loadConfig(
  benchEnv({
    SLACK_BOT_TOKEN: slack.options.botToken,
    SLACK_APP_TOKEN: slack.options.appToken,
    SLACK_API_URL: slack.apiUrl,
    DATABASE_PATH: join(dir, 'bench.db'),
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: '0',
    LOG_STREAM_TOKEN: TOKEN,
  }),
);
const app = buildApp({ config, logger, version: 'bench', overrides: { slackRetry: { retries: 0 } } });
const { port } = await app.http.listen(0, '127.0.0.1');
await app.slack.start();
const driver = new SlackDriver(slack, { command: '/auth0' });

const junkBody = (): string => {
  const items = Math.floor((MAX_BODY - 2) / 3);
  return `[${Array.from({ length: items }, () => '{}').join(',')}]`;
};

const validBody = (): string => {
  const entries: string[] = [];
  let size = 2;
  for (let i = 0; ; i += 1) {
    const e = JSON.stringify({
      log_id: `bench-${i}`,
      data: {
        log_id: `bench-${i}`,
        date: new Date(Date.now() - i).toISOString(),
        type: i % 10 === 0 ? 'fp' : 's',
        connection: 'Username-Password-Authentication',
        client_id: 'benchClient',
        ip: '203.0.113.7',
        user_agent: 'Mozilla/5.0 (bench)',
        description: 'bench entry',
      },
    });
    if (size + e.length + 1 > MAX_BODY) break;
    entries.push(e);
    size += e.length + 1;
  }
  return `[${entries.join(',')}]`;
};

const measure = async (name: string, body: string) => {
  const before = lines.filter((l) => l.includes('"logs.malformed"')).length;
  const loop = monitorEventLoopDelay({ resolution: 10 });
  const acks: number[] = [];
  const state = { posting: true };
  const commands = (async () => {
    while (state.posting) {
      const r = await driver.command('U0OPERATOR', 'help');
      acks.push(r.ack.acked ? r.ack.latencyMs : Infinity);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  loop.enable();
  const started = performance.now();
  const res = await fetch(`http://127.0.0.1:${port}/auth0/log-stream`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body,
  });
  const result = (await res.json()) as Record<string, number>;
  const ms = performance.now() - started;
  loop.disable();
  state.posting = false;
  await commands;
  const malformedLines = lines.filter((l) => l.includes('"logs.malformed"')).length - before;
  console.log(
    `${name}: ${(body.length / 1024 / 1024).toFixed(2)} MiB, HTTP ${res.status} ${JSON.stringify(result)} in ${ms.toFixed(0)} ms; ` +
      `max event-loop stall ${(loop.max / 1e6).toFixed(0)} ms (p99 ${(loop.percentile(99) / 1e6).toFixed(0)} ms); ` +
      `${acks.length} /auth0 acks, slowest ${Math.max(...acks).toFixed(0)} ms; ${malformedLines} logs.malformed line(s)`,
  );
};

await measure('junk (~700,000 {} items)', junkBody());
await measure('valid entries', validBody());

await app.slack.stop();
await app.http.close();
app.db.close();
await slack.stop();
rmSync(dir, { recursive: true, force: true });
