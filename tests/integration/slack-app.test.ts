import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { checkBlockKitLimits, FakeSlack, SlackDriver } from '@auth0-oncall/fakes/slack';
import { statusProviders } from '../../src/wiring/app-status.js';
import { collectStatus, type StatusProvider } from '../../src/core/status/model.js';
import { createBackgroundTasks } from '../../src/core/background/tasks.js';
import { createMetrics } from '../../src/metrics/app-metrics.js';
import { createLogger } from '../../src/logger.js';
import { createSlackApp, type SlackApp } from '../../src/slack/app.js';
import { openDatabase, type StoreDatabase } from '../../src/store/index.js';

interface Harness {
  fake: FakeSlack;
  driver: SlackDriver;
  slack: SlackApp;
  db: StoreDatabase;
  metrics: ReturnType<typeof createMetrics>;
  inflight: ReturnType<typeof createBackgroundTasks>;
  logs: string[];
}

const running: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of running.splice(0).reverse()) await stop();
});

const build = async (
  opts: { botToken?: string; appToken?: string; extraProviders?: StatusProvider[] } = {},
): Promise<Harness> => {
  // A short ack timeout keeps the "listener never acks" case fast.
  const fake = await FakeSlack.start({ ackTimeoutMs: 500 });
  running.push(() => fake.stop());
  const logs: string[] = [];
  const logger = createLogger(
    { level: 'debug' },
    new Writable({
      write(chunk: Buffer, _e, cb) {
        logs.push(chunk.toString());
        cb();
      },
    }),
  );
  const db = openDatabase({ path: ':memory:' });
  running.push(() => {
    db.close();
    return Promise.resolve();
  });
  const metrics = createMetrics({ version: '1.2.3' });
  const inflight = createBackgroundTasks();
  const startedAt = new Date();
  const slack: SlackApp = createSlackApp({
    botToken: opts.botToken ?? fake.options.botToken,
    appToken: opts.appToken ?? fake.options.appToken,
    apiUrl: fake.apiUrl,
    logger,
    metrics: metrics.slack,
    inflight,
    retry: { retries: 0 },
    clientPingTimeoutMs: 300,
    command: {
      command: '/auth0',
      version: '1.2.3',
      now: () => new Date(),
      onCommand: (subcommand) => {
        metrics.countCommand(subcommand);
      },
      status: () =>
        collectStatus(
          [...statusProviders({ version: '1.2.3', startedAt, db, slack }), ...(opts.extraProviders ?? [])],
          {
            timeoutMs: 1_000,
          },
        ),
    },
  });
  running.push(() => slack.stop());
  return { fake, driver: new SlackDriver(fake, { command: '/auth0' }), slack, db, metrics, inflight, logs };
};

const blockTexts = (blocks: unknown[] | undefined): string => JSON.stringify(blocks ?? []);

describe('the Slack app in Socket Mode', () => {
  it('connects with the app token after checking the bot token', async () => {
    const h = await build();
    await h.slack.start();
    expect(h.slack.isConnected()).toBe(true);
    expect(h.fake.isConnected()).toBe(true);
    expect(h.fake.callsTo('auth.test')[0]?.token).toBe(h.fake.options.botToken);
    expect(h.fake.callsTo('apps.connections.open')[0]?.token).toBe(h.fake.options.appToken);
    expect(await h.metrics.registry.getSingleMetricAsString('auth0oncall_slack_socket_connected')).toContain(
      'auth0oncall_slack_socket_connected 1',
    );
  });

  it('answers /auth0 status in the ack, within Slack’s 3 seconds, with real readings', async () => {
    const h = await build();
    await h.slack.start();
    const result = await h.driver.command('U0OPERATOR', 'status');
    expect(result.ack.acked).toBe(true);
    expect(result.ack.latencyMs).toBeLessThan(3_000);
    expect(result.reply?.responseType).toBe('ephemeral');
    const text = blockTexts(result.reply?.blocks);
    expect(text).toContain('auth0-oncall status');
    expect(text).toContain('1.2.3');
    expect(text).toMatch(/connected for \d+s/);
    expect(text).toContain(`version ${h.db.schemaVersion()}`);
    expect(result.reply?.text).toContain('Database: state open');
    expect(checkBlockKitLimits(result.reply?.blocks, { surface: 'message' })).toEqual([]);
    expect(h.fake.limitViolations).toEqual([]);
    const latency = await h.metrics.registry.getSingleMetricAsString('auth0oncall_ack_latency_seconds');
    expect(latency).toContain('auth0oncall_ack_latency_seconds_count{envelope_type="slash_commands"} 1');
  });

  it('shows a section that fails as unavailable instead of failing the command', async () => {
    const h = await build({
      extraProviders: [
        {
          title: 'Auth0',
          read: () => {
            throw new Error('breaker open');
          },
        },
      ],
    });
    await h.slack.start();
    const result = await h.driver.command('U0VIEWER', 'status');
    expect(blockTexts(result.reply?.blocks)).toContain('unavailable: breaker open');
  });

  it('answers help, an empty command, an unknown subcommand and extra arguments helpfully', async () => {
    const h = await build();
    await h.slack.start();
    const help = await h.driver.command('U0VIEWER', 'help');
    expect(blockTexts(help.reply?.blocks)).toContain('/auth0 status');
    const empty = await h.driver.command('U0VIEWER', '');
    expect(empty.reply?.blocks).toEqual(help.reply?.blocks);
    const unknown = await h.driver.command('U0VIEWER', 'deploy <!channel>');
    expect(unknown.reply?.text).toContain("I don't know `/auth0 deploy`");
    expect(blockTexts(unknown.reply?.blocks)).toContain('/auth0 help');
    const extra = await h.driver.command('U0VIEWER', 'status now');
    expect(extra.reply?.text).toBe('`status` takes no arguments. Usage: /auth0 status');
    for (const r of [help, empty, unknown, extra]) {
      expect(r.ack.acked).toBe(true);
      expect(r.reply?.responseType).toBe('ephemeral');
    }
    expect(h.fake.limitViolations).toEqual([]);
    const counted = await h.metrics.registry.getSingleMetricAsString('auth0oncall_slack_commands_total');
    expect(counted).toContain('subcommand="help"} 2');
    expect(counted).toContain('subcommand="unknown"} 1');
    expect(counted).toContain('subcommand="status"} 1');
  });

  it('counts a command as in flight until it is answered, so shutdown can wait for it', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const h = await build({
      extraProviders: [
        {
          title: 'Slow',
          read: async () => {
            await gate;
            return { title: 'Slow', items: [] };
          },
        },
      ],
    });
    await h.slack.start();
    const pending = h.driver.command('U0OPERATOR', 'status');
    await h.fake.waitFor(() => (h.inflight.count === 1 ? true : undefined));
    const drained = h.inflight.drain(2_000);
    release();
    await expect(drained).resolves.toBe(true);
    expect((await pending).ack.acked).toBe(true);
  });

  it('reconnects with a new ticket when Slack asks for a refresh, and says so in status', async () => {
    const h = await build();
    await h.slack.start();
    h.fake.disconnect('refresh_requested');
    await h.fake.waitFor(() => (h.fake.callsTo('apps.connections.open').length === 2 ? true : undefined), {
      timeoutMs: 5_000,
    });
    await h.fake.waitFor(() => (h.slack.isConnected() && h.fake.isConnected() ? true : undefined), {
      timeoutMs: 5_000,
    });
    expect(h.slack.reconnects()).toBeGreaterThanOrEqual(1);
    const result = await h.driver.command('U0OPERATOR', 'status');
    expect(blockTexts(result.reply?.blocks)).toMatch(/reconnects\*\\n[1-9]/);
  });

  it('sends listener errors to the one error sink, with the code counted', async () => {
    const h = await build();
    h.slack.bolt.command('/boom', () => {
      throw new Error('listener exploded');
    });
    await h.slack.start();
    const result = await h.driver.command('U0OPERATOR', '', { command: '/boom' });
    expect(result.ack.acked).toBe(false);
    await h.fake.waitFor(() => (h.logs.some((l) => l.includes('listener exploded')) ? true : undefined));
    const errors = await h.metrics.registry.getSingleMetricAsString('auth0oncall_errors_total');
    expect(errors).toMatch(/auth0oncall_errors_total\{code="[a-z_]+"\} 1/);
  });

  it('stops cleanly: the fake sees the socket close and health goes down', async () => {
    const h = await build();
    await h.slack.start();
    await h.slack.stop();
    expect(h.slack.isConnected()).toBe(false);
    await h.fake.waitFor(() => (h.fake.isConnected() ? undefined : true), { timeoutMs: 5_000 });
  });

  it('cuts the socket when Slack never answers the close frame: no timer left behind, no error logged', async () => {
    const h = await build();
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    await h.slack.start();
    h.fake.stallConnection();
    const from = h.logs.length;
    await h.slack.stop();
    expect(h.slack.isConnected()).toBe(false);
    // The socket client's 30 s close-handshake wait, its pings and its socket are gone with it.
    expect(timers()).toBeLessThanOrEqual(before);
    const levels = h.logs.slice(from).map((l) => (JSON.parse(l) as { level: string }).level);
    expect(levels.filter((l) => l === 'error' || l === 'fatal')).toEqual([]);
  });
});

describe('start-up failures', () => {
  it('names SLACK_BOT_TOKEN when Slack rejects the bot token', async () => {
    const h = await build({ botToken: 'xoxb-wrong' });
    await expect(h.slack.start()).rejects.toMatchObject({
      code: 'slack_auth_failed',
      message: expect.stringContaining('SLACK_BOT_TOKEN was rejected by Slack (auth.test: invalid_auth)'),
    });
  });

  it('names SLACK_APP_TOKEN when Slack rejects the app token', async () => {
    const h = await build({ appToken: 'xapp-wrong' });
    await expect(h.slack.start()).rejects.toMatchObject({
      code: 'slack_auth_failed',
      message: expect.stringContaining(
        'SLACK_APP_TOKEN was rejected by Slack (apps.connections.open: invalid_auth)',
      ),
    });
    expect(h.fake.isConnected()).toBe(false);
  });

  it('reports an unreachable Slack as unavailable, not as a bad token', async () => {
    const h = await build();
    await h.fake.stop();
    await expect(h.slack.start()).rejects.toMatchObject({ code: 'slack_unavailable' });
  });
});
