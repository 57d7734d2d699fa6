import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

/**
 * Field names whose values are never written. pino's redaction paths are exact, so each secret-ish
 * name is listed at the top level and one level down (`*.x`), which covers `{ config: { … } }`,
 * `{ err: { … } }` and SDK request objects; deeper secrets must be removed before logging.
 */
const secretKeys = [
  'token',
  'botToken',
  'appToken',
  'accessToken',
  'access_token',
  'refreshToken',
  'secret',
  'clientSecret',
  'client_secret',
  'privateKey',
  'private_key',
  'password',
  'authorization',
  'Authorization',
  'apiKey',
  'api_key',
  'logStreamToken',
  'basicAuth',
  'SecretString',
  'SecretBinary',
];

const redactPaths: string[] = [
  ...secretKeys,
  ...secretKeys.map((k) => `*.${k}`),
  'req.headers.authorization',
  'headers.authorization',
];

export const createLogger = (
  options: { level?: string; name?: string } = {},
  destination?: DestinationStream,
): Logger => {
  const opts: LoggerOptions = {
    level: options.level ?? 'info',
    name: options.name ?? 'auth0-oncall',
    redact: { paths: redactPaths, censor: '[redacted]' },
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  };
  return destination ? pino(opts, destination) : pino(opts);
};
