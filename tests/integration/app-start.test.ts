import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { FakeSlack } from '@auth0-oncall/fakes/slack';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { validEnv } from '../helpers/env.js';

const dir = mkdtempSync(join(tmpdir(), 'auth0-oncall-start-'));
const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const quiet = createLogger(
  { level: 'silent' },
  new Writable({
    write(_c, _e, cb) {
      cb();
    },
  }),
);

describe('starting the app', () => {
  it('settles what a crash left before Slack intake opens, and a failed recovery never connects to Slack', async () => {
    const slack = await FakeSlack.start();
    cleanup.push(() => slack.stop());
    const config = loadConfig(
      validEnv({
        SLACK_BOT_TOKEN: slack.options.botToken,
        SLACK_APP_TOKEN: slack.options.appToken,
        SLACK_API_URL: slack.apiUrl,
        DATABASE_PATH: join(dir, 'app.db'),
        HTTP_HOST: '127.0.0.1',
        HTTP_PORT: '0',
      }),
    );
    const app = buildApp({
      config,
      logger: quiet,
      version: 'test',
      overrides: { slackRetry: { retries: 0 } },
    });
    cleanup.push(() => app.slack.stop());
    // Recovery cannot read the database: start must fail before any click could arrive.
    app.db.close();

    await expect(app.start()).rejects.toThrow();
    expect(slack.callsTo('apps.connections.open')).toEqual([]);
    expect(slack.isConnected()).toBe(false);
  });
});
