import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig, redactConfig, type Config } from './config.js';
import { isAppError, type AppError } from './errors.js';
import { createLogger, type Logger } from './logger.js';
import { createShutdown, ExitCode } from './lifecycle.js';
import { createInflightTracker } from './core/inflight.js';
import { collectStatus } from './core/status.js';
import { statusProviders } from './app-status.js';
import { AuditRepository, openDatabase } from './store/index.js';
import { createHealthEvents } from './core/health-events.js';
import { composeTenantWatching } from './compose-tenant.js';
import { createScheduler } from './jobs/scheduler.js';
import { createSlackApp, type SlackApp } from './slack/app.js';
import { createHttpServer } from './http/server.js';
import { createMetrics } from './http/metrics.js';

const readVersion = (): string => {
  // dist/src/main.js when built, src/main.ts under tsx: walk up to our package.json.
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i += 1) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown };
      return typeof pkg.version === 'string' ? pkg.version : 'unknown';
    }
    dir = dirname(dir);
  }
  return 'unknown';
};

/** A user's mistake gets one line on stderr and an exit code; no stack trace. */
const fail = (message: string, code: number): never => {
  process.stderr.write(`auth0-oncall: cannot start: ${message}\n`);
  process.exit(code);
};

const exitCodeFor = (err: AppError): number => {
  switch (err.code) {
    case 'config_invalid':
      return ExitCode.config;
    case 'database_unavailable':
    case 'migration_failed':
      return ExitCode.cantCreate;
    case 'slack_auth_failed':
      return ExitCode.noPerm;
    case 'slack_unavailable':
    case 'http_unavailable':
      return ExitCode.unavailable;
    default:
      return ExitCode.crash;
  }
};

const start = async (logger: Logger, config: Config, version: string): Promise<void> => {
  const startedAt = new Date();
  logger.info({ event: 'app.starting', version, config: redactConfig(config) }, 'starting auth0-oncall');

  const db = openDatabase({ path: config.database.path });
  const inflight = createInflightTracker();
  const metrics = createMetrics({ version });
  const health = createHealthEvents({
    onListenerError: (err) => {
      logger.error({ event: 'health.listener_failed', err }, 'a health-event listener failed');
    },
  });
  const watching = composeTenantWatching({
    config,
    store: db,
    logger,
    registry: metrics.registry,
    health,
    audit: new AuditRepository(db),
    now: () => new Date(),
  });
  const scheduler = createScheduler({
    logger,
    onRun: (job, outcome) => {
      watching.metrics.jobRun(job, outcome);
    },
  });
  for (const job of watching.jobs) scheduler.add(job);
  let stopping = false;

  const slack: SlackApp = createSlackApp({
    botToken: config.slack.botToken,
    appToken: config.slack.appToken,
    apiUrl: config.slack.apiUrl,
    logger,
    metrics: metrics.slack,
    inflight,
    retry: { retries: 3, factor: 2, minTimeout: 500, maxTimeout: 5_000 },
    command: {
      command: '/auth0',
      version,
      now: () => new Date(),
      onCommand: (subcommand) => {
        metrics.countCommand(subcommand);
      },
      status: () =>
        collectStatus([...statusProviders({ version, startedAt, db, slack }), watching.status], {
          timeoutMs: 1_000,
        }),
    },
  });

  const http = createHttpServer({
    logger,
    registry: metrics.registry,
    readiness: () => [
      { name: 'database', ok: db.isOpen(), detail: db.isOpen() ? 'open' : 'closed' },
      {
        name: 'slack_socket',
        ok: slack.isConnected(),
        detail: slack.isConnected() ? 'connected' : 'not connected',
      },
      { name: 'lifecycle', ok: !stopping, detail: stopping ? 'shutting down' : 'running' },
    ],
    info: () => ({ version, uptime_seconds: Math.floor((Date.now() - startedAt.getTime()) / 1000) }),
    routes: watching.routes,
  });

  const shutdown = createShutdown(
    {
      stopIntake: [
        {
          name: 'mark-stopping',
          run: () => {
            stopping = true;
          },
        },
        { name: 'slack', run: () => slack.stop() },
        { name: 'scheduler', run: () => scheduler.stop() },
      ],
      drain: (ms) => inflight.drain(ms),
      release: [
        { name: 'http', run: () => http.close() },
        {
          name: 'database',
          run: () => {
            db.close();
          },
        },
      ],
    },
    logger,
    config.shutdown.timeoutSeconds * 1000,
  );
  const onSignal = (signal: NodeJS.Signals) => {
    if (shutdown.started) {
      logger.warn({ event: 'shutdown.forced', signal }, 'second signal: exiting now');
      process.exit(ExitCode.signalTwice);
    }
    void shutdown.shutdown(signal).then((code) => {
      process.exit(code);
    });
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);

  try {
    const address = await http.listen(config.http.port, config.http.host);
    logger.info({ event: 'http.listening', port: address.port, host: address.address }, 'HTTP listening');
    await slack.start();
    scheduler.start();
  } catch (err) {
    // Close what was opened before reporting, so a failed start leaves no lock or socket behind.
    await scheduler.stop();
    await http.close();
    db.close();
    throw err;
  }
  logger.info({ event: 'app.ready', startupMs: Date.now() - startedAt.getTime() }, 'auth0-oncall is running');
};

const main = async (): Promise<void> => {
  const version = readVersion();
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) return fail(err.message, ExitCode.config);
    throw err;
  }
  const logger = createLogger({ level: config.log.level });
  process.on('uncaughtException', (err) => {
    logger.fatal({ event: 'app.crash', err }, 'uncaught exception');
    process.exit(ExitCode.crash);
  });
  process.on('unhandledRejection', (reason) => {
    logger.fatal({ event: 'app.crash', err: reason }, 'unhandled rejection');
    process.exit(ExitCode.crash);
  });
  try {
    await start(logger, config, version);
  } catch (err) {
    if (!isAppError(err)) throw err;
    logger.error({ event: 'app.start_failed', code: err.code }, err.message);
    fail(err.message, exitCodeFor(err));
  }
};

await main();
