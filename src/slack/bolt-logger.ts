import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../logger.js';

const toPino: Record<LogLevel, string> = {
  [LogLevel.DEBUG]: 'debug',
  [LogLevel.INFO]: 'info',
  [LogLevel.WARN]: 'warn',
  [LogLevel.ERROR]: 'error',
};

const fromPino = (level: string): LogLevel => {
  if (level === 'trace' || level === 'debug') return LogLevel.DEBUG;
  if (level === 'info') return LogLevel.INFO;
  if (level === 'warn') return LogLevel.WARN;
  return LogLevel.ERROR;
};

// Slack's SDKs log at info what we treat as debug chatter (every reconnect step); one notch
// down keeps our JSON logs readable while errors still come through.
const join = (msg: unknown[]): string =>
  msg.map((m) => (typeof m === 'string' ? m : m instanceof Error ? m.message : JSON.stringify(m))).join(' ');

/** Routes Bolt's and the socket client's logging into our pino logger, with its redaction. */
export const createBoltLogger = (logger: Logger): BoltLogger => {
  const child = logger.child({ component: 'slack-sdk' });
  return {
    debug: (...msg: unknown[]) => {
      child.debug(join(msg));
    },
    info: (...msg: unknown[]) => {
      child.debug(join(msg));
    },
    warn: (...msg: unknown[]) => {
      child.warn(join(msg));
    },
    error: (...msg: unknown[]) => {
      child.error(join(msg));
    },
    setLevel: (level: LogLevel) => {
      child.level = toPino[level];
    },
    getLevel: () => fromPino(child.level),
    setName: () => undefined,
  };
};
