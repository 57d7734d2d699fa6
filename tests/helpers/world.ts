import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, afterEach } from 'vitest';
import { FakeAuth0 } from '@auth0-oncall/fakes/auth0';
import { FakeSlack } from '@auth0-oncall/fakes/slack';
import { createLogger, type Logger } from '../../src/logger.js';
import { validEnv } from './env.js';

export const BOT_CLIENT_ID = 'botClient0001';
export const BOT_SECRET = 'bot-client-secret-value-0001';

export interface TestScope {
  /** A new database path in this file's temporary directory. */
  dbPath(): string;
  /** Runs at the end of the current test, last registered first. */
  defer(fn: () => unknown): void;
}

/**
 * Per test file: a temporary directory removed after all tests, and a cleanup stack emptied after
 * each test (newest first, so the app stops before the fakes it talks to). Call at module level.
 */
export const testScope = (prefix: string): TestScope => {
  const dir = mkdtempSync(join(tmpdir(), `auth0-oncall-${prefix}-`));
  const stack: Array<() => unknown> = [];
  afterEach(async () => {
    for (const fn of stack.splice(0).reverse()) await fn();
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    dbPath: () => join(dir, `app-${Math.random().toString(36).slice(2)}.db`),
    defer: (fn) => {
      stack.push(fn);
    },
  };
};

/** A logger whose JSON lines are kept for assertions (e.g. that no secret was ever logged). */
export const capturingLogger = (level = 'info'): { logger: Logger; lines: string[] } => {
  const lines: string[] = [];
  const logger = createLogger(
    { level },
    new Writable({
      write(chunk: Buffer, _e, cb) {
        lines.push(chunk.toString());
        cb();
      },
    }),
  );
  return { logger, lines };
};

/** The fake Slack and the fake tenant, with the bot's own M2M client registered; stopped by the scope. */
export const startSlackAndAuth0 = async (
  scope: TestScope,
  auth0Options: Parameters<typeof FakeAuth0.start>[0] = {},
): Promise<{ slack: FakeSlack; auth0: FakeAuth0 }> => {
  const slack = await FakeSlack.start();
  scope.defer(() => slack.stop());
  const auth0 = await FakeAuth0.start({ logRateLimits: false, ...auth0Options });
  scope.defer(() => auth0.stop());
  auth0.addClient({
    clientId: BOT_CLIENT_ID,
    name: 'auth0-oncall',
    appType: 'non_interactive',
    secret: BOT_SECRET,
  });
  return { slack, auth0 };
};

/** The environment of an app that talks only to these fakes (loopback HTTP on an ephemeral port). */
export const fakeEnv = (
  fakes: { slack: FakeSlack; auth0: FakeAuth0 },
  dbPath: string,
  overrides: Record<string, string | undefined> = {},
): Record<string, string | undefined> =>
  validEnv({
    SLACK_BOT_TOKEN: fakes.slack.options.botToken,
    SLACK_APP_TOKEN: fakes.slack.options.appToken,
    SLACK_API_URL: fakes.slack.apiUrl,
    AUTH0_BASE_URL: fakes.auth0.baseUrl,
    AUTH0_CLIENT_ID: BOT_CLIENT_ID,
    AUTH0_CLIENT_SECRET: BOT_SECRET,
    DATABASE_PATH: dbPath,
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: '0',
    ...overrides,
  });
