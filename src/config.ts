import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { AppError } from './errors.js';
import { parseRotationTargets, type RotationTarget } from './core/rotation/target-spec.js';
import { isTimeZone } from './core/incidents/quiet.js';

export type Auth0Credential =
  | { kind: 'client_secret'; clientSecret: string }
  | {
      kind: 'private_key_jwt';
      privateKeyPem: string;
      source: 'AUTH0_PRIVATE_KEY' | 'AUTH0_PRIVATE_KEY_FILE';
    };

export interface Config {
  slack: {
    botToken: string;
    appToken: string;
    alertChannel: string;
    operators: string[];
    operatorGroup: string | undefined;
    escalationGroup: string | undefined;
    /** SLACK_TIME_ZONE: the workspace's zone; undefined means the clicking user's zone, else UTC. */
    timeZone: string | undefined;
    apiUrl: string;
  };
  auth0: { domain: string; clientId: string; credential: Auth0Credential; baseUrl: string };
  aws: {
    region: string | undefined;
    secretsManagerEndpoint: string | undefined;
    bedrockRuntimeEndpoint: string | undefined;
  };
  llm: {
    bedrockModelId: string | undefined;
    anthropicApiKey: string | undefined;
    anthropicBaseUrl: string | undefined;
    anthropicModel: string;
  };
  /** A cron expression, or 'off'. */
  rotation: { targets: RotationTarget[]; schedule: string };
  poller: { intervalSeconds: number; lookbackMinutes: number };
  watchers: { intervalSeconds: number; warningDays: number };
  database: { path: string };
  /** How long stored data is kept; the database's size follows (docs/production.md). */
  retention: { logEventHours: number; countDays: number; auditDays: number | undefined };
  /** Online backups of the database; off when `dir` is unset (docs/backup-and-restore.md). */
  backup: { dir: string | undefined; intervalMinutes: number; retain: number };
  /** `metrics`: where /metrics and /healthz listen when apart from the receivers (METRICS_PORT). */
  http: {
    port: number;
    host: string;
    logStreamToken: string | undefined;
    metrics: { port: number; host: string } | undefined;
  };
  /** Told of signing-key rotations and revocations (docs/decisions/0011-jwks-refresh-hooks.md). */
  jwksHooks: { urls: string[]; secret: string | undefined };
  /** Pinged every minute while the app is healthy (a dead-man's switch). */
  heartbeat: { url: string | undefined };
  /** Auth0 Event Streams: the webhook's accepted authorizations and the EventBridge → SQS queue. */
  eventStreams: {
    token: string | undefined;
    /** `user:password` for Basic authorization. */
    basicAuth: string | undefined;
    sqsQueueUrl: string | undefined;
    sqsEndpoint: string | undefined;
    sqsVisibilitySeconds: number;
  };
  log: { level: LogLevel };
  shutdown: { timeoutSeconds: number };
}

type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface ConfigProblem {
  variable: string;
  message: string;
}

/** Thrown by loadConfig with every problem found, so one start-up attempt shows them all. */
export class ConfigError extends AppError {
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    super(
      'config_invalid',
      [
        `Configuration is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}):`,
        ...problems.map((p) => `  - ${p.variable}: ${p.message}`),
        'See .env.example for every variable with a description.',
      ].join('\n'),
    );
    this.problems = problems;
  }
}

// Empty strings are how .env files and shells say "unset"; treat them so.
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional());

const required = (check: (s: z.ZodString) => z.ZodType<string, string>, missing: string) =>
  z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    check(z.string({ error: (issue) => (issue.input === undefined ? missing : 'must be text') })),
  );

const slackUserId = /^[UW][A-Z0-9]{2,}$/;
const slackGroupId = /^S[A-Z0-9]{2,}$/;
const slackChannelId = /^[CG][A-Z0-9]{2,}$/;

const urlString = (what: string) =>
  z.string().refine(
    (v) => {
      try {
        const u = new URL(v);
        return u.protocol === 'http:' || u.protocol === 'https:';
      } catch {
        return false;
      }
    },
    { message: `must be an http(s) URL for ${what}, e.g. https://example.com/` },
  );

const intInRange = (min: number, max: number, fallback: number) =>
  optional(
    z
      .string()
      .regex(/^\d+$/, { message: `must be a whole number from ${min} to ${max}` })
      .transform(Number)
      .refine((n) => n >= min && n <= max, { message: `must be a whole number from ${min} to ${max}` }),
  ).transform((v) => v ?? fallback);

// A cron expression: 5 fields (or 6 with seconds). The scheduler validates it fully when it
// parses it; this catches the typos that would otherwise only show at the first tick.
const cronLike = /^(\S+\s+){4,5}\S+$/;
const cronField = /^[0-9*/,?LW#A-Za-z-]+$/;

/**
 * What each variable is when unset. README's configuration table and .env.example state the same
 * defaults (a test keeps the three in step).
 */
export const configDefaults = {
  SLACK_API_URL: 'https://slack.com/api/',
  ANTHROPIC_MODEL: 'claude-sonnet-4-6',
  ROTATION_SCHEDULE: '0 3 * * 1',
  LOG_POLL_INTERVAL_SECONDS: 30,
  LOG_LOOKBACK_MINUTES: 0,
  WATCH_INTERVAL_SECONDS: 300,
  EXPIRY_WARNING_DAYS: 14,
  DATABASE_PATH: './data/auth0-oncall.db',
  LOG_RETENTION_HOURS: 72,
  COUNT_RETENTION_DAYS: 35,
  BACKUP_INTERVAL_MINUTES: 60,
  BACKUP_RETAIN: 48,
  HTTP_PORT: 3000,
  HTTP_HOST: '0.0.0.0',
  LOG_LEVEL: 'info',
  SHUTDOWN_TIMEOUT_SECONDS: 10,
  EVENT_STREAM_SQS_VISIBILITY_SECONDS: 60,
} as const;
const D = configDefaults;

const envSchema = z.object({
  SLACK_BOT_TOKEN: required(
    (s) =>
      s.startsWith('xoxb-', {
        message: 'must be a bot token starting with xoxb- (OAuth & Permissions page)',
      }),
    'is required: the bot token (xoxb-…) from the Slack app\'s "OAuth & Permissions" page',
  ),
  SLACK_APP_TOKEN: required(
    (s) =>
      s.startsWith('xapp-', {
        message: 'must be an app-level token starting with xapp- (Basic Information → App-Level Tokens)',
      }),
    'is required: an app-level token (xapp-…) with connections:write, from "Basic Information → App-Level Tokens"',
  ),
  SLACK_ALERT_CHANNEL: required(
    (s) =>
      s.regex(slackChannelId, {
        message:
          'must be a channel ID like C0123ABCD (not a #name): open the channel details and copy its ID',
      }),
    'is required: the ID of the channel where incident cards go, e.g. C0123ABCD',
  ),
  SLACK_OPERATORS: optional(z.string()),
  SLACK_OPERATOR_GROUP: optional(
    z.string().regex(slackGroupId, { message: 'must be a user-group ID like S0123ABCD' }),
  ),
  SLACK_ESCALATION_GROUP: optional(
    z.string().regex(slackGroupId, { message: 'must be a user-group ID like S0123ABCD' }),
  ),
  SLACK_TIME_ZONE: optional(
    z.string().refine(isTimeZone, {
      message:
        'must be an IANA time zone name like Europe/Paris, America/New_York or UTC (the zone of "until tomorrow 09:00" snoozes)',
    }),
  ),
  SLACK_API_URL: optional(urlString('the Slack Web API')),
  AUTH0_DOMAIN: required(
    (s) =>
      s.regex(/^(?!https?:\/\/)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/i, {
        message: 'must be the tenant domain without scheme or path, e.g. acme.eu.auth0.com',
      }),
    'is required: the tenant domain, e.g. acme.eu.auth0.com',
  ),
  AUTH0_CLIENT_ID: required(
    (s) =>
      s.regex(/^[A-Za-z0-9_-]{8,128}$/, { message: "must be the client ID of the bot's M2M application" }),
    "is required: the client ID of the bot's own Machine-to-Machine application",
  ),
  AUTH0_CLIENT_SECRET: optional(z.string()),
  AUTH0_PRIVATE_KEY: optional(z.string()),
  AUTH0_PRIVATE_KEY_FILE: optional(z.string()),
  AUTH0_BASE_URL: optional(urlString('the Auth0 tenant')),
  AWS_REGION: optional(
    z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, { message: 'must be an AWS region, e.g. eu-west-1' }),
  ),
  AWS_ENDPOINT_URL_SECRETS_MANAGER: optional(urlString('Secrets Manager')),
  AWS_ENDPOINT_URL_BEDROCK_RUNTIME: optional(urlString('Bedrock Runtime')),
  BEDROCK_MODEL_ID: optional(
    z.string().regex(/^[A-Za-z0-9._:/-]+$/, { message: 'must be a Bedrock model or inference-profile ID' }),
  ),
  ANTHROPIC_API_KEY: optional(z.string()),
  ANTHROPIC_BASE_URL: optional(urlString('the Anthropic API')),
  ANTHROPIC_MODEL: optional(
    z.string().regex(/^[A-Za-z0-9._:-]{3,100}$/, {
      message: 'must be an Anthropic model name, e.g. claude-sonnet-4-6',
    }),
  ),
  ROTATION_TARGETS: optional(z.string()),
  ROTATION_SCHEDULE: optional(
    z.string().refine(
      (v) =>
        v === 'off' ||
        (cronLike.test(v.trim()) &&
          v
            .trim()
            .split(/\s+/)
            .every((f) => cronField.test(f))),
      { message: 'must be a cron expression like "0 3 * * 1" (weekly, Monday 03:00) or "off"' },
    ),
  ),
  LOG_POLL_INTERVAL_SECONDS: intInRange(2, 3600, D.LOG_POLL_INTERVAL_SECONDS),
  LOG_LOOKBACK_MINUTES: intInRange(0, 1440, D.LOG_LOOKBACK_MINUTES),
  WATCH_INTERVAL_SECONDS: intInRange(30, 86_400, D.WATCH_INTERVAL_SECONDS),
  EXPIRY_WARNING_DAYS: intInRange(1, 365, D.EXPIRY_WARNING_DAYS),
  DATABASE_PATH: optional(z.string()),
  BACKUP_DIR: optional(z.string()),
  BACKUP_INTERVAL_MINUTES: intInRange(5, 10_080, D.BACKUP_INTERVAL_MINUTES),
  BACKUP_RETAIN: intInRange(1, 1_000, D.BACKUP_RETAIN),
  // Detection reads a day of events and its baselines a day of counts (up to a week when tuned).
  LOG_RETENTION_HOURS: intInRange(24, 8760, D.LOG_RETENTION_HOURS),
  COUNT_RETENTION_DAYS: intInRange(8, 3650, D.COUNT_RETENTION_DAYS),
  AUDIT_RETENTION_DAYS: optional(
    z
      .string()
      .regex(/^\d+$/, {
        message: 'must be a whole number of days from 30 to 36500, or unset to keep forever',
      })
      .transform(Number)
      .refine((n) => n >= 30 && n <= 36_500, {
        message: 'must be a whole number of days from 30 to 36500, or unset to keep forever',
      }),
  ),
  HTTP_PORT: intInRange(0, 65535, D.HTTP_PORT),
  HTTP_HOST: optional(
    z.string().regex(/^[0-9a-fA-F.:]+$|^localhost$/, {
      message: 'must be an IP address to bind, e.g. 0.0.0.0 or 127.0.0.1',
    }),
  ),
  LOG_STREAM_TOKEN: optional(
    z.string().min(16, {
      message: 'must be at least 16 characters: use a random token, e.g. `openssl rand -hex 32`',
    }),
  ),
  METRICS_PORT: optional(
    z
      .string()
      .regex(/^\d+$/, { message: 'must be a port number from 0 to 65535' })
      .transform(Number)
      .refine((n) => n <= 65535, { message: 'must be a port number from 0 to 65535' }),
  ),
  METRICS_HOST: optional(
    z.string().regex(/^[0-9a-fA-F.:]+$|^localhost$/, {
      message: 'must be an IP address to bind, e.g. 127.0.0.1',
    }),
  ),
  JWKS_REFRESH_WEBHOOKS: optional(z.string()),
  JWKS_REFRESH_SECRET: optional(
    z.string().min(32, {
      message: 'must be at least 32 characters: use a random value, e.g. `openssl rand -hex 32`',
    }),
  ),
  HEARTBEAT_URL: optional(urlString('the heartbeat check (healthchecks.io, Cronitor, Better Stack…)')),
  EVENT_STREAM_TOKEN: optional(
    z.string().min(16, {
      message: 'must be at least 16 characters: use a random token, e.g. `openssl rand -hex 32`',
    }),
  ),
  EVENT_STREAM_BASIC_AUTH: optional(
    z.string().regex(/^[^:\s]{1,128}:\S{16,256}$/, {
      message:
        'must be user:password with a password of at least 16 characters (e.g. `openssl rand -hex 32`)',
    }),
  ),
  EVENT_STREAM_SQS_QUEUE_URL: optional(
    urlString('the SQS queue, e.g. https://sqs.eu-west-1.amazonaws.com/123456789012/auth0-events'),
  ),
  AWS_ENDPOINT_URL_SQS: optional(urlString('SQS')),
  EVENT_STREAM_SQS_VISIBILITY_SECONDS: intInRange(10, 43_200, D.EVENT_STREAM_SQS_VISIBILITY_SECONDS),
  LOG_LEVEL: optional(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])),
  SHUTDOWN_TIMEOUT_SECONDS: intInRange(1, 300, D.SHUTDOWN_TIMEOUT_SECONDS),
});

/** Every variable the app reads; `.env.example` must list exactly these. */
export const configVariables: readonly string[] = Object.keys(envSchema.shape);

type Env = z.infer<typeof envSchema>;

/** The string variables that cross-field checks read, from a parsed or an unparsed environment. */
type CrossFieldEnv = Partial<
  Pick<
    Record<keyof Env, string>,
    | 'SLACK_OPERATORS'
    | 'SLACK_OPERATOR_GROUP'
    | 'AUTH0_CLIENT_SECRET'
    | 'AUTH0_PRIVATE_KEY'
    | 'AUTH0_PRIVATE_KEY_FILE'
    | 'ROTATION_TARGETS'
    | 'AWS_REGION'
    | 'BEDROCK_MODEL_ID'
    | 'JWKS_REFRESH_WEBHOOKS'
    | 'JWKS_REFRESH_SECRET'
    | 'EVENT_STREAM_SQS_QUEUE_URL'
  >
>;

export interface LoadConfigDeps {
  readFile?: (path: string) => string;
}

export const loadConfig = (
  env: Readonly<Record<string, string | undefined>>,
  deps: LoadConfigDeps = {},
): Config => {
  const parsed = envSchema.safeParse(env);
  const problems: ConfigProblem[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      problems.push({ variable: String(issue.path[0] ?? 'environment'), message: issue.message });
    }
  }
  // Cross-field checks run on whatever parsed, so the user sees those problems in the same pass.
  const raw: CrossFieldEnv = parsed.success ? parsed.data : partialEnv(env);
  const operators = parseOperators(raw, problems);
  const credential = parseCredential(raw, problems, deps.readFile ?? ((p) => readFileSync(p, 'utf8')));
  const targets = parseRotationTargets(raw.ROTATION_TARGETS, problems);
  checkAwsRegion(raw, targets, problems);
  const hooks = parseHookUrls(raw, problems);
  if (parsed.success) checkMetricsPort(parsed.data, problems);

  if (!parsed.success || problems.length > 0 || !credential) {
    throw new ConfigError(dedupe(problems));
  }
  return build(parsed.data, operators, credential, targets, hooks);
};

const build = (
  e: Env,
  operators: string[],
  credential: Auth0Credential,
  targets: RotationTarget[],
  hooks: string[],
): Config => ({
  slack: {
    botToken: e.SLACK_BOT_TOKEN,
    appToken: e.SLACK_APP_TOKEN,
    alertChannel: e.SLACK_ALERT_CHANNEL,
    operators,
    operatorGroup: e.SLACK_OPERATOR_GROUP,
    escalationGroup: e.SLACK_ESCALATION_GROUP,
    timeZone: e.SLACK_TIME_ZONE,
    apiUrl: withTrailingSlash(e.SLACK_API_URL ?? D.SLACK_API_URL),
  },
  auth0: {
    domain: e.AUTH0_DOMAIN.toLowerCase(),
    clientId: e.AUTH0_CLIENT_ID,
    credential,
    baseUrl: (e.AUTH0_BASE_URL ?? `https://${e.AUTH0_DOMAIN.toLowerCase()}`).replace(/\/+$/, ''),
  },
  aws: {
    region: e.AWS_REGION,
    secretsManagerEndpoint: e.AWS_ENDPOINT_URL_SECRETS_MANAGER,
    bedrockRuntimeEndpoint: e.AWS_ENDPOINT_URL_BEDROCK_RUNTIME,
  },
  llm: {
    bedrockModelId: e.BEDROCK_MODEL_ID,
    anthropicApiKey: e.ANTHROPIC_API_KEY,
    anthropicBaseUrl: e.ANTHROPIC_BASE_URL,
    anthropicModel: e.ANTHROPIC_MODEL ?? D.ANTHROPIC_MODEL,
  },
  rotation: { targets, schedule: e.ROTATION_SCHEDULE?.trim() ?? D.ROTATION_SCHEDULE },
  poller: { intervalSeconds: e.LOG_POLL_INTERVAL_SECONDS, lookbackMinutes: e.LOG_LOOKBACK_MINUTES },
  watchers: { intervalSeconds: e.WATCH_INTERVAL_SECONDS, warningDays: e.EXPIRY_WARNING_DAYS },
  database: { path: e.DATABASE_PATH ?? D.DATABASE_PATH },
  backup: { dir: e.BACKUP_DIR, intervalMinutes: e.BACKUP_INTERVAL_MINUTES, retain: e.BACKUP_RETAIN },
  retention: {
    logEventHours: e.LOG_RETENTION_HOURS,
    countDays: e.COUNT_RETENTION_DAYS,
    auditDays: e.AUDIT_RETENTION_DAYS,
  },
  http: {
    port: e.HTTP_PORT,
    host: e.HTTP_HOST ?? D.HTTP_HOST,
    logStreamToken: e.LOG_STREAM_TOKEN,
    metrics:
      e.METRICS_PORT === undefined
        ? undefined
        : { port: e.METRICS_PORT, host: e.METRICS_HOST ?? e.HTTP_HOST ?? D.HTTP_HOST },
  },
  jwksHooks: { urls: hooks, secret: e.JWKS_REFRESH_SECRET },
  heartbeat: { url: e.HEARTBEAT_URL },
  eventStreams: {
    token: e.EVENT_STREAM_TOKEN,
    basicAuth: e.EVENT_STREAM_BASIC_AUTH,
    sqsQueueUrl: e.EVENT_STREAM_SQS_QUEUE_URL,
    sqsEndpoint: e.AWS_ENDPOINT_URL_SQS,
    sqsVisibilitySeconds: e.EVENT_STREAM_SQS_VISIBILITY_SECONDS,
  },
  log: { level: e.LOG_LEVEL ?? D.LOG_LEVEL },
  shutdown: { timeoutSeconds: e.SHUTDOWN_TIMEOUT_SECONDS },
});

/** The raw string values, for cross-field checks when the schema as a whole did not parse. */
const partialEnv = (
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string | undefined> => {
  const out: Record<string, string | undefined> = {};
  for (const name of configVariables) {
    const v = env[name];
    out[name] = v === undefined || v.trim() === '' ? undefined : v;
  }
  return out;
};

const parseOperators = (raw: CrossFieldEnv, problems: ConfigProblem[]): string[] => {
  const ids = (raw.SLACK_OPERATORS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const bad = ids.filter((id) => !slackUserId.test(id));
  if (bad.length > 0) {
    problems.push({
      variable: 'SLACK_OPERATORS',
      message: `not Slack user IDs: ${bad.map((b) => JSON.stringify(b.slice(0, 40))).join(', ')}; use IDs like U0123ABCD, comma-separated (profile → ⋮ → Copy member ID)`,
    });
  }
  if (ids.length === 0 && raw.SLACK_OPERATOR_GROUP === undefined) {
    problems.push({
      variable: 'SLACK_OPERATORS',
      message:
        'name at least one operator (Slack user IDs, comma-separated) or set SLACK_OPERATOR_GROUP: otherwise nobody may run steps or rotate',
    });
  }
  return [...new Set(ids)];
};

const parseCredential = (
  raw: CrossFieldEnv,
  problems: ConfigProblem[],
  readFile: (path: string) => string,
): Auth0Credential | undefined => {
  const given = (['AUTH0_CLIENT_SECRET', 'AUTH0_PRIVATE_KEY', 'AUTH0_PRIVATE_KEY_FILE'] as const).filter(
    (k) => raw[k] !== undefined,
  );
  if (given.length !== 1) {
    problems.push({
      variable: 'AUTH0_CLIENT_SECRET',
      message:
        given.length === 0
          ? "is required (or AUTH0_PRIVATE_KEY / AUTH0_PRIVATE_KEY_FILE for private_key_jwt): the bot's M2M application credential"
          : `set exactly one of AUTH0_CLIENT_SECRET, AUTH0_PRIVATE_KEY, AUTH0_PRIVATE_KEY_FILE (found ${given.join(', ')})`,
    });
    return undefined;
  }
  if (raw.AUTH0_CLIENT_SECRET !== undefined)
    return { kind: 'client_secret', clientSecret: raw.AUTH0_CLIENT_SECRET };
  if (raw.AUTH0_PRIVATE_KEY !== undefined) {
    // Multi-line PEMs often arrive with literal "\n" in env files.
    const pem = raw.AUTH0_PRIVATE_KEY.replace(/\\n/g, '\n');
    return checkPem(pem, 'AUTH0_PRIVATE_KEY', problems);
  }
  const file = raw.AUTH0_PRIVATE_KEY_FILE ?? '';
  let pem: string;
  try {
    pem = readFile(file);
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    problems.push({
      variable: 'AUTH0_PRIVATE_KEY_FILE',
      message: `cannot read ${JSON.stringify(file)} (${reason}): point it at a readable PKCS#8 PEM file`,
    });
    return undefined;
  }
  return checkPem(pem, 'AUTH0_PRIVATE_KEY_FILE', problems);
};

// Built from parts so that scanners looking for committed keys do not flag this check itself.
const pemHeader = (label: string) => `-----BEGIN ${label}-----`;

const checkPem = (
  pem: string,
  source: 'AUTH0_PRIVATE_KEY' | 'AUTH0_PRIVATE_KEY_FILE',
  problems: ConfigProblem[],
): Auth0Credential | undefined => {
  // The auth0 SDK signs with jose, which accepts only PKCS#8 and fails at the first token request
  // otherwise; catching it here turns a 3 a.m. outage into a start-up message.
  if (pem.includes(pemHeader('RSA PRIVATE KEY')) || pem.includes(pemHeader('EC PRIVATE KEY'))) {
    problems.push({
      variable: source,
      message:
        'is a PKCS#1/SEC1 key; the Auth0 SDK needs PKCS#8 ("BEGIN PRIVATE KEY"). Convert it: openssl pkcs8 -topk8 -nocrypt -in key.pem -out key.pkcs8.pem',
    });
    return undefined;
  }
  if (!pem.includes(pemHeader('PRIVATE KEY'))) {
    problems.push({
      variable: source,
      message:
        'is not a PKCS#8 PEM private key (its first line must be the PKCS#8 "BEGIN PRIVATE KEY" header)',
    });
    return undefined;
  }
  try {
    const key = createPrivateKey({ key: pem, format: 'pem' });
    if (key.asymmetricKeyType !== 'rsa' && key.asymmetricKeyType !== 'rsa-pss') {
      problems.push({
        variable: source,
        message: `must be an RSA key for private_key_jwt (got ${key.asymmetricKeyType ?? 'unknown'})`,
      });
      return undefined;
    }
  } catch {
    problems.push({
      variable: source,
      message: 'could not be parsed as a PEM private key: check it is complete and unencrypted',
    });
    return undefined;
  }
  return { kind: 'private_key_jwt', privateKeyPem: pem, source };
};

const checkAwsRegion = (raw: CrossFieldEnv, targets: RotationTarget[], problems: ConfigProblem[]): void => {
  if (raw.AWS_REGION !== undefined) return;
  if (targets.length > 0) {
    problems.push({
      variable: 'AWS_REGION',
      message: 'is required when ROTATION_TARGETS is set (Secrets Manager region, e.g. eu-west-1)',
    });
  } else if (raw.EVENT_STREAM_SQS_QUEUE_URL !== undefined) {
    problems.push({
      variable: 'AWS_REGION',
      message: "is required when EVENT_STREAM_SQS_QUEUE_URL is set (the queue's region, e.g. eu-west-1)",
    });
  } else if (raw.BEDROCK_MODEL_ID !== undefined) {
    problems.push({
      variable: 'AWS_REGION',
      message: 'is required when BEDROCK_MODEL_ID is set (Bedrock region, e.g. us-east-1)',
    });
  }
};

const MAX_HOOKS = 10;

const parseHookUrls = (raw: CrossFieldEnv, problems: ConfigProblem[]): string[] => {
  const urls = [
    ...new Set(
      (raw.JWKS_REFRESH_WEBHOOKS ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== ''),
    ),
  ];
  const bad = urls.filter((u) => !urlString('').safeParse(u).success);
  if (bad.length > 0) {
    problems.push({
      variable: 'JWKS_REFRESH_WEBHOOKS',
      message: `${bad.length} of them not http(s) URLs: list the receivers comma-separated, e.g. https://api.example.com/hooks/jwks-refresh`,
    });
  }
  if (urls.length > MAX_HOOKS) {
    problems.push({ variable: 'JWKS_REFRESH_WEBHOOKS', message: `at most ${MAX_HOOKS} URLs` });
  }
  if (urls.length > 0 && raw.JWKS_REFRESH_SECRET === undefined) {
    problems.push({
      variable: 'JWKS_REFRESH_SECRET',
      message:
        'is required when JWKS_REFRESH_WEBHOOKS is set: the receivers check each request with it (`openssl rand -hex 32`)',
    });
  }
  return urls;
};

const checkMetricsPort = (e: Env, problems: ConfigProblem[]): void => {
  if (e.METRICS_PORT === undefined) {
    if (e.METRICS_HOST !== undefined)
      problems.push({
        variable: 'METRICS_HOST',
        message: 'takes effect only with METRICS_PORT: set that too',
      });
    return;
  }
  if (e.METRICS_PORT !== 0 && e.METRICS_PORT === e.HTTP_PORT)
    problems.push({
      variable: 'METRICS_PORT',
      message: 'must differ from HTTP_PORT (leave it unset to serve /metrics and /healthz on HTTP_PORT)',
    });
};

const withTrailingSlash = (url: string): string => (url.endsWith('/') ? url : `${url}/`);

const dedupe = (problems: ConfigProblem[]): ConfigProblem[] => {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.variable}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
};

const REDACTED = '[redacted]';

/** A copy of the config that is safe to log: every secret replaced by a marker. */
export const redactConfig = (config: Config): Config => {
  const c = config.auth0.credential;
  return {
    ...config,
    slack: { ...config.slack, botToken: REDACTED, appToken: REDACTED },
    auth0: {
      ...config.auth0,
      credential:
        c.kind === 'client_secret'
          ? { kind: c.kind, clientSecret: REDACTED }
          : { kind: c.kind, source: c.source, privateKeyPem: REDACTED },
    },
    llm: { ...config.llm, anthropicApiKey: config.llm.anthropicApiKey === undefined ? undefined : REDACTED },
    http: { ...config.http, logStreamToken: config.http.logStreamToken === undefined ? undefined : REDACTED },
    // A hook or heartbeat URL may carry its token (healthchecks.io's UUID is one): origins only.
    jwksHooks: {
      urls: config.jwksHooks.urls.map(originOnly),
      secret: config.jwksHooks.secret === undefined ? undefined : REDACTED,
    },
    heartbeat: { url: config.heartbeat.url === undefined ? undefined : originOnly(config.heartbeat.url) },
    eventStreams: {
      ...config.eventStreams,
      token: config.eventStreams.token === undefined ? undefined : REDACTED,
      basicAuth: config.eventStreams.basicAuth === undefined ? undefined : REDACTED,
    },
  };
};

const originOnly = (url: string): string => {
  try {
    return `${new URL(url).origin}/${REDACTED}`;
  } catch {
    return REDACTED;
  }
};
