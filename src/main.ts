/**
 * Process entry. Static imports are all loaded before the first line here runs, so this file
 * imports statically only Node built-ins, types and the version check; the app itself, which needs
 * Node 22.12 or newer, is imported once the running Node has been found new enough.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from './config.js';
import type { AppError } from './errors.js';
import type { Logger } from './logger.js';
import { NODE_TOO_OLD_EXIT_CODE, nodeVersionProblem } from './core/runtime/node-version.js';

const tooOld = nodeVersionProblem(process.versions.node);
if (tooOld !== undefined) {
  process.stderr.write(`auth0-oncall: cannot start: ${tooOld}\n`);
  process.exit(NODE_TOO_OLD_EXIT_CODE);
}

// V8's compiled code for our modules and the SDKs is kept on disk (os.tmpdir()/node-compile-cache)
// and reused by the next start: about a third of the import time. A cache that cannot be written
// (read-only disk) is skipped silently; NODE_DISABLE_COMPILE_CACHE=1 turns it off.
nodeModule.enableCompileCache();

const [
  { ConfigError, loadConfig, redactConfig },
  { isAppError },
  { createLogger },
  { createShutdown, ExitCode },
  { buildApp },
  { runShellDoctor },
] = await Promise.all([
  import('./config.js'),
  import('./errors.js'),
  import('./logger.js'),
  import('./wiring/lifecycle.js'),
  import('./app.js'),
  import('./wiring/doctor.js'),
]);

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
    case 'already_running':
      return ExitCode.alreadyRunning;
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
  const began = Date.now();
  logger.info({ event: 'app.starting', version, config: redactConfig(config) }, 'starting auth0-oncall');
  const app = buildApp({ config, logger, version });
  const shutdown = createShutdown(app.shutdownPlan, logger, config.shutdown.timeoutSeconds * 1000);
  const onSignal = (signal: NodeJS.Signals) => {
    if (shutdown.started) {
      logger.warn({ event: 'shutdown.forced', signal }, 'second signal: exiting now');
      process.exit(ExitCode.signalTwice);
    }
    shutdown.shutdown(signal).then(
      (code) => process.exit(code),
      (err: unknown) => {
        logger.fatal({ event: 'shutdown.failed', err }, 'shutdown failed');
        process.exit(ExitCode.crash);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);

  await app.start();
  logger.info({ event: 'app.ready', startupMs: Date.now() - began }, 'auth0-oncall is running');
};

/** `npm run doctor` (`main.js doctor`): the setup checks, printed; exit 2 when something is broken. */
const doctor = async (config: Config): Promise<void> => {
  const result = await runShellDoctor(config);
  process.stdout.write(`${result.text}\n`);
  process.exit(result.broken ? DOCTOR_BROKEN : 0);
};
const DOCTOR_BROKEN = 2;

const main = async (): Promise<void> => {
  const version = readVersion();
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) return fail(err.message, ExitCode.config);
    throw err;
  }
  if (process.argv[2] === 'doctor') return doctor(config);
  const logger = createLogger({ level: config.log.level });
  process.on('uncaughtException', (err) => {
    logger.fatal({ event: 'app.crash', err }, 'uncaught exception');
    process.exit(ExitCode.crash);
  });
  // A rejection nobody handled is one piece of async work that failed at an await: the rest of
  // the process is intact, so it is reported, not fatal. A synchronous throw escaping to the loop
  // (above) may have left an invariant half-done, so that still exits (docs/decisions/0007-what-exits-the-process.md).
  process.on('unhandledRejection', (reason) => {
    logger.error({ event: 'app.unhandled_rejection', err: reason }, 'unhandled rejection (not fatal)');
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
