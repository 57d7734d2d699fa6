import { App, SocketModeReceiver, type CodedError } from '@slack/bolt';
import { AppError, toAppError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { InflightTracker } from '../core/background/tasks.js';
import { createBoltLogger } from './bolt-logger.js';
import { observeAckLatency } from './ack-latency.js';
import { guardEnvelopes } from './envelope-guard.js';
import { registerAuth0Command, type Auth0CommandDeps } from './commands/auth0-command.js';
import { createListenerTable, type Listeners } from './listener-table.js';

/** What the Slack layer reports to metrics; implemented by metrics/app-metrics.ts, observed in tests. */
export interface SlackMetrics {
  observeAckLatency(seconds: number, envelopeType: string): void;
  setSocketConnected(connected: boolean): void;
  countError(code: string): void;
  countDroppedEnvelope(reason: string): void;
}

interface SlackRetryConfig {
  retries: number;
  factor?: number;
  minTimeout?: number;
  maxTimeout?: number;
}

export interface SlackAppOptions {
  botToken: string;
  appToken: string;
  apiUrl: string;
  logger: Logger;
  metrics: SlackMetrics;
  inflight: InflightTracker;
  /**
   * Always explicit: without it the socket client writes {retries:100} into the options it shares
   * with App, and listener clients would retry a failing call a hundred times.
   */
  retry: SlackRetryConfig;
  /**
   * Retries for the socket client's own calls (apps.connections.open on reconnect): a failure
   * there rejects inside the client's timer, so it gets more patience than listener calls.
   */
  socketRetry?: SlackRetryConfig;
  requestTimeoutMs?: number;
  clientPingTimeoutMs?: number;
  command: Auth0CommandDeps;
  /** More listeners (incident buttons, events), registered after the command. */
  register?: ReadonlyArray<(app: Listeners) => void>;
}

export interface SlackApp {
  readonly bolt: App;
  start(): Promise<void>;
  stop(): Promise<void>;
  isConnected(): boolean;
  connectedSince(): Date | undefined;
  reconnects(): number;
}

/** Slack answers a close frame within milliseconds; past this it is not going to. */
const CLOSE_WAIT_MS = 1_000;

export const createSlackApp = (options: SlackAppOptions): SlackApp => {
  const { logger, metrics } = options;
  const boltLogger = createBoltLogger(logger);
  // Two separate objects: the receiver's socket client and App must not share (and mutate) one.
  const clientOptions = (retry: SlackRetryConfig) => ({
    slackApiUrl: options.apiUrl,
    retryConfig: { ...retry },
    timeout: options.requestTimeoutMs ?? 10_000,
  });
  const receiver = new SocketModeReceiver({
    appToken: options.appToken,
    logger: boltLogger,
    installerOptions: { clientOptions: clientOptions(options.socketRetry ?? options.retry) },
    ...(options.clientPingTimeoutMs !== undefined ? { clientPingTimeout: options.clientPingTimeoutMs } : {}),
  });
  const bolt = new App({
    token: options.botToken,
    receiver,
    logger: boltLogger,
    clientOptions: clientOptions(options.retry),
    // auth.test runs in start(), where a bad token becomes a clear start-up error.
    deferInitialization: true,
  });

  let connectedAt: Date | undefined;
  let reconnectCount = 0;
  receiver.client.on('connected', () => {
    connectedAt = new Date();
    metrics.setSocketConnected(true);
    logger.info({ event: 'slack.socket.connected' }, 'Slack socket connected');
  });
  const lost = (state: string) => () => {
    if (connectedAt) logger.warn({ event: `slack.socket.${state}` }, `Slack socket ${state}`);
    if (state === 'reconnecting') reconnectCount += 1;
    connectedAt = undefined;
    metrics.setSocketConnected(false);
  };
  receiver.client.on('disconnected', lost('disconnected'));
  receiver.client.on('reconnecting', lost('reconnecting'));
  observeAckLatency(receiver.client, metrics);
  guardEnvelopes(receiver.client, ({ envelopeId, envelopeType, reason, error }) => {
    metrics.countDroppedEnvelope(reason);
    logger.warn(
      {
        event: 'slack.envelope_dropped',
        envelopeId,
        envelopeType,
        reason,
        ...(error === undefined ? {} : { err: toAppError(error) }),
      },
      'dropped a Socket Mode envelope the SDK cannot handle',
    );
  });

  bolt.use(async ({ next }) => {
    const done = options.inflight.begin();
    try {
      await next();
    } finally {
      done();
    }
  });
  // One Bolt listener per kind of payload, not one per handler (listener-table.ts).
  const table = createListenerTable();
  registerAuth0Command(table.listeners, options.command);
  for (const register of options.register ?? []) register(table.listeners);
  table.install(bolt);
  bolt.error(async (error: CodedError) => {
    const appError = toAppError(error);
    metrics.countError(error.code);
    logger.error({ event: 'slack.listener_error', code: error.code, err: appError }, 'Slack listener failed');
    return Promise.resolve();
  });

  return {
    bolt,
    async start() {
      try {
        await bolt.init();
      } catch (err) {
        throw slackStartError(err, 'SLACK_BOT_TOKEN', 'auth.test');
      }
      try {
        await bolt.start();
      } catch (err) {
        throw slackStartError(err, 'SLACK_APP_TOKEN', 'apps.connections.open');
      }
    },
    async stop() {
      // Bolt's stop only sends the close frame; the socket client then waits up to 30 s for Slack
      // to answer it, with its timers (and the socket) alive. Wait for the answer briefly, then
      // cut the socket: nothing more will be read from it, and shutdown must not outlast it.
      const client = receiver.client;
      const closed = new Promise<void>((resolve) => {
        if (client.websocket === undefined) resolve();
        else
          client.once('disconnected', () => {
            resolve();
          });
      });
      // Stopping on purpose: the socket client's 'disconnected' is not a lost connection to warn about.
      connectedAt = undefined;
      await bolt.stop();
      let timer: NodeJS.Timeout | undefined;
      const answered = await Promise.race([
        closed.then(() => true),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => {
            resolve(false);
          }, CLOSE_WAIT_MS);
        }),
      ]);
      clearTimeout(timer);
      // A second disconnect while the close is pending destroys the socket and clears its timers.
      if (!answered) client.websocket?.disconnect();
      connectedAt = undefined;
      metrics.setSocketConnected(false);
    },
    isConnected: () => connectedAt !== undefined,
    connectedSince: () => connectedAt,
    reconnects: () => reconnectCount,
  };
};

const authErrors = new Set([
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
]);

const slackStartError = (err: unknown, variable: string, method: string): AppError => {
  const code = slackErrorCode(err);
  if (code && authErrors.has(code)) {
    return new AppError(
      'slack_auth_failed',
      `${variable} was rejected by Slack (${method}: ${code}). Check the token in the Slack app settings and that the app is installed.`,
      { cause: err },
    );
  }
  return new AppError(
    'slack_unavailable',
    `could not reach Slack (${method}: ${code ?? describe(err)}); check SLACK_API_URL and the network.`,
    {
      cause: err,
    },
  );
};

const slackErrorCode = (err: unknown): string | undefined => {
  if (typeof err !== 'object' || err === null) return undefined;
  const data = 'data' in err ? err.data : undefined;
  if (typeof data === 'object' && data !== null && 'error' in data && typeof data.error === 'string')
    return data.error;
  const original = 'original' in err ? err.original : undefined;
  return original === undefined ? undefined : slackErrorCode(original);
};

const describe = (err: unknown): string => (err instanceof Error ? err.message : 'unknown error');
