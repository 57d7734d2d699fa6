/**
 * The whole product offline: the fake Slack workspace (with its browser view), a fake Auth0 tenant
 * with background traffic, a fake Secrets Manager seeded with the rotation target, and the real
 * app as a child process configured only through its environment, as in production. Runbooks
 * come from the app's built-in library (no model is configured).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeAuth0 } from '@auth0-oncall/fakes/auth0';
import { FakeSecretsManager, FakeSqs, FAKE_CREDENTIALS } from '@auth0-oncall/fakes/aws';
import type { UiScenario } from '@auth0-oncall/fakes/slack/browser/contract';
import { FakeSlack } from '@auth0-oncall/fakes/slack';
import { appNodeFlags, builtEntry as BUILT_ENTRY, projectRoot as PROJECT_ROOT } from './app-process.js';
import { startSandboxHookReceiver } from './hook-receiver.js';
import { SCENARIOS, scenarioNamed, type SandboxTenant } from './scenarios.js';

/** What of the app's stderr is kept for the "stopped before connecting" message. */
const STDERR_KEPT = 8 * 1024;

const CHANNEL = 'C0ALERTS';
const OPERATOR = { id: 'U0OPERATOR', name: 'olivia (on call)' };
const VIEWER = { id: 'U0VIEWER', name: 'victor (support)' };
const BOT_CLIENT_ID = 'sAnDbOxOnCaLlBoT000000000000001';
const BILLING = {
  clientId: 'bIlLiNgWoRkEr0000000000000000001',
  name: 'acme-billing-worker',
  secretName: 'sandbox/acme-billing-worker',
};
const WATCH_INTERVAL_SECONDS = 30;
/** History before "now" so baselines exist (they need 60 minutes). */
const HISTORY_MINUTES = 65;
/**
 * Background logins, M2M tokens and admin calls per minute, before and after start alike (a
 * different rate would look like a change against the baseline). At 30/min the history is 20
 * pages, drained in a few seconds within the plan's log rate limit.
 */
const BACKGROUND_PER_MINUTE = 30;

export interface SandboxOptions {
  /** Port of the page and the fake Slack; 0 = any free one. A taken port falls back to any. */
  port?: number;
  /** Seed of the tenant's traffic (default: random, so each run looks a little different). */
  seed?: number;
  /** How long to wait for the app to connect (default 60 s). */
  startTimeoutMs?: number;
}

export interface Sandbox {
  /** The page: the channel, the Home tab and the scenario controls. */
  readonly url: string;
  readonly slack: FakeSlack;
  readonly auth0: FakeAuth0;
  readonly secrets: FakeSecretsManager;
  readonly app: ChildProcess;
  /** Where the app's JSON log lines go. */
  readonly appLogPath: string;
  /** Resolves when the app process ends, whoever ended it. */
  readonly appExited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  runScenario(name: string): Promise<string>;
  /**
   * Stops the app, then the fakes, and removes the data directory. The app gets SIGTERM (SIGKILL
   * after 10 s); with `appSignalled` (Ctrl-C in a terminal reaches the whole process group) it is
   * first given 3 s to finish the shutdown that signal already started.
   */
  stop(opts?: { appSignalled?: boolean }): Promise<void>;
}

export const scenarioList = (): UiScenario[] =>
  SCENARIOS.map(({ name, title, explanation }) => ({ name, title, explanation }));

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  if (!existsSync(BUILT_ENTRY))
    throw new Error(`${BUILT_ENTRY} is missing: run \`npm run build\` first (\`npm run sandbox\` does)`);
  const cleanups: Array<() => unknown> = [];
  const cleanup = async () => {
    for (const fn of cleanups.splice(0).reverse()) await fn();
  };
  try {
    const dataDir = mkdtempSync(join(tmpdir(), 'auth0-oncall-sandbox-'));
    cleanups.push(() => {
      rmSync(dataDir, { recursive: true, force: true });
    });
    const slack = await startSlack(options.port ?? 0);
    cleanups.push(() => slack.stop());
    const botSecret = randomBytes(32).toString('hex');
    const auth0 = await FakeAuth0.start({
      domain: 'acme-sandbox.eu.auth0.com',
      seed: options.seed ?? randomBytes(4).readUInt32BE(),
      plan: 'professional',
    });
    cleanups.push(() => auth0.stop());
    const secrets = await FakeSecretsManager.start();
    cleanups.push(() => secrets.stop());
    const hookSecret = randomBytes(32).toString('hex');
    const hooks = await startSandboxHookReceiver(hookSecret);
    cleanups.push(() => hooks.stop());
    const sqs = await FakeSqs.start({ region: secrets.region });
    cleanups.push(() => sqs.stop());
    const queueUrl = sqs.createQueue('auth0-event-streams');
    // The app's HTTP port is chosen here so the Event Streams scenario knows where to deliver.
    const httpPort = await freePort();
    const eventStreamToken = randomBytes(24).toString('hex');
    const tenant: SandboxTenant = {
      ...seedTenant(auth0, secrets, botSecret),
      hooks,
      eventStreams: {
        webhookUrl: `http://127.0.0.1:${String(httpPort)}/auth0/event-stream`,
        token: eventStreamToken,
        sqs,
        queueUrl,
      },
    };

    const appLogPath = join(dataDir, 'app.log');
    const startTimeoutMs = options.startTimeoutMs ?? 60_000;
    const app = spawnLoggedApp(
      {
        SLACK_BOT_TOKEN: slack.options.botToken,
        SLACK_APP_TOKEN: slack.options.appToken,
        SLACK_API_URL: slack.apiUrl,
        SLACK_ALERT_CHANNEL: CHANNEL,
        SLACK_OPERATORS: OPERATOR.id,
        AUTH0_DOMAIN: auth0.domain,
        AUTH0_BASE_URL: auth0.baseUrl,
        AUTH0_CLIENT_ID: BOT_CLIENT_ID,
        AUTH0_CLIENT_SECRET: botSecret,
        AWS_REGION: secrets.region,
        AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
        AWS_ACCESS_KEY_ID: FAKE_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: FAKE_CREDENTIALS.secretAccessKey,
        AWS_EC2_METADATA_DISABLED: 'true',
        ROTATION_TARGETS: `${BILLING.clientId}:client_secret:${BILLING.secretName}`,
        ROTATION_SCHEDULE: 'off',
        LOG_POLL_INTERVAL_SECONDS: '2',
        LOG_LOOKBACK_MINUTES: String(HISTORY_MINUTES),
        WATCH_INTERVAL_SECONDS: String(WATCH_INTERVAL_SECONDS),
        DATABASE_PATH: join(dataDir, 'auth0-oncall.db'),
        HTTP_HOST: '127.0.0.1',
        HTTP_PORT: String(httpPort),
        JWKS_REFRESH_WEBHOOKS: hooks.urls.join(','),
        JWKS_REFRESH_SECRET: hookSecret,
        EVENT_STREAM_TOKEN: eventStreamToken,
        EVENT_STREAM_SQS_QUEUE_URL: queueUrl,
        AWS_ENDPOINT_URL_SQS: sqs.endpoint,
        SHUTDOWN_TIMEOUT_SECONDS: '5',
      },
      appLogPath,
    );
    let appSignalled = false;
    cleanups.push(() => stopChild(app.child, appSignalled ? 3000 : 0));

    slack.enableBrowserView({
      command: '/auth0',
      channelId: CHANNEL,
      channelName: 'auth0-alerts',
      teamName: 'Acme (sandbox)',
      botName: 'auth0-oncall',
      users: [
        { id: OPERATOR.id, role: 'operator' },
        { id: VIEWER.id, role: 'not an operator' },
      ],
      scenarios: {
        list: scenarioList,
        run: (name) => runScenario(name),
        notes: () => [
          `Tenant ${auth0.domain}: ${auth0.faults.inOutage ? 'DOWN (503 to everything)' : 'up'}, ${auth0.logCount()} log entries`,
          `JWKS-refresh hooks received: ${hooks.received().length} (orders-api, payments-api)`,
          `App log: ${appLogPath}`,
        ],
      },
    });
    const runScenario = async (name: string): Promise<string> => {
      const scenario = scenarioNamed(name);
      if (!scenario)
        throw new Error(`unknown scenario "${name}"; one of: ${SCENARIOS.map((s) => s.name).join(', ')}`);
      return scenario.run(tenant);
    };

    await Promise.race([
      slack
        .waitForConnection({ timeoutMs: startTimeoutMs })
        .then(() =>
          within(app.ready, startTimeoutMs, `the app connected but did not log app.ready; see ${appLogPath}`),
        ),
      app.exited.then(({ code, signal }) => {
        throw new Error(
          `the app stopped before connecting (exit ${String(code ?? signal)}):\n${app.stderr().trim() || `see ${appLogPath}`}`,
        );
      }),
    ]);
    auth0.traffic.startBackground({ perSecond: BACKGROUND_PER_MINUTE / 60 });

    const stop = async (opts: { appSignalled?: boolean } = {}) => {
      appSignalled = opts.appSignalled ?? false;
      auth0.traffic.stopBackground();
      await cleanup();
    };
    return {
      url: `${slack.baseUrl}/`,
      slack,
      auth0,
      secrets,
      app: app.child,
      appLogPath,
      appExited: app.exited,
      runScenario,
      stop,
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

/** The installed token has what manifest.json asks for, so the setup doctor finds the sandbox's Slack right. */
function manifestBotScopes(): string[] {
  const manifest = JSON.parse(readFileSync(join(PROJECT_ROOT, 'manifest.json'), 'utf8')) as {
    oauth_config: { scopes: { bot: string[] } };
  };
  return manifest.oauth_config.scopes.bot;
}

async function startSlack(port: number): Promise<FakeSlack> {
  const options = {
    botScopes: manifestBotScopes(),
    channels: [CHANNEL],
    users: [
      { id: OPERATOR.id, name: OPERATOR.name, tz: 'Europe/London' },
      { id: VIEWER.id, name: VIEWER.name, tz: 'America/New_York' },
    ],
    usergroups: {},
  };
  try {
    return await FakeSlack.start({ ...options, port });
  } catch (error) {
    if (port !== 0 && isAddressInUse(error)) return FakeSlack.start({ ...options, port: 0 });
    throw error;
  }
}

const isAddressInUse = (error: unknown): boolean =>
  error instanceof Error && 'code' in error && error.code === 'EADDRINUSE';

/** The bot's own client, the billing worker with its secret in Secrets Manager, a custom domain, history. */
function seedTenant(
  auth0: FakeAuth0,
  secrets: FakeSecretsManager,
  botSecret: string,
): Omit<SandboxTenant, 'hooks' | 'eventStreams'> {
  auth0.addClient({
    clientId: BOT_CLIENT_ID,
    name: 'auth0-oncall',
    appType: 'non_interactive',
    secret: botSecret,
  });
  const billingSecret = randomBytes(32).toString('hex');
  auth0.addClient({
    clientId: BILLING.clientId,
    name: BILLING.name,
    appType: 'non_interactive',
    secret: billingSecret,
  });
  auth0.addClient({ name: 'acme-sync-worker', appType: 'non_interactive' });
  secrets.seed(BILLING.secretName, billingSecret);
  const domain = auth0.customDomains.add({ domain: 'login.acme-sandbox.test' });
  auth0.traffic.generate({ minutes: HISTORY_MINUTES, perMinute: BACKGROUND_PER_MINUTE });
  return {
    auth0,
    secrets,
    billing: BILLING,
    customDomainId: domain.custom_domain_id,
    officeIp: '203.0.113.42',
    watchIntervalSeconds: WATCH_INTERVAL_SECONDS,
  };
}

/** A port free now (the OS's pick); the app binds it a moment later. */
const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => {
        resolve(port);
      });
    });
  });

interface SpawnedApp {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /**
   * Resolves when the app has logged app.ready: past its start-up, with the watchers' first
   * readings under way, so a scenario run after it is seen against a baseline.
   */
  ready: Promise<void>;
  stderr(): string;
}

/** `promise`, or an error saying `what` once `ms` have passed first. */
function within(promise: Promise<void>, ms: number, what: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`${what} (waited ${String(ms)} ms)`));
    }, ms);
    void promise.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** `node dist/src/main.js` (with the app's Node flags) with only this environment (and PATH); its JSON logs go to a file. */
function spawnLoggedApp(env: Record<string, string>, logPath: string): SpawnedApp {
  const child = spawn(process.execPath, [...appNodeFlags, BUILT_ENTRY], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = createWriteStream(logPath, { flags: 'a' });
  child.stdout.pipe(log);
  const ready = new Promise<void>((resolve) => {
    let pending = '';
    const onData = (chunk: Buffer) => {
      const lines = (pending + chunk.toString()).split('\n');
      pending = lines.pop() ?? '';
      if (lines.some((line) => line.includes('"event":"app.ready"'))) {
        child.stdout.off('data', onData);
        resolve();
      }
    };
    child.stdout.on('data', onData);
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-STDERR_KEPT);
    log.write(chunk);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => {
      resolve({ code, signal });
    });
  });
  return { child, exited, ready, stderr: () => stderr };
}

/** Waits `graceMs` for a shutdown already under way, then SIGTERM, then SIGKILL after 10 s. */
async function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  const running = () => child.exitCode === null && child.signalCode === null;
  if (!running()) return;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve();
    });
  });
  const timers = [
    setTimeout(() => child.kill('SIGTERM'), graceMs),
    setTimeout(() => child.kill('SIGKILL'), graceMs + 10_000),
  ];
  await exited;
  for (const timer of timers) clearTimeout(timer);
}
