import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, configVariables, loadConfig, redactConfig } from '../../src/config.js';
import { rsaKeys, validEnv } from '../helpers/env.js';

const problemsOf = (env: Record<string, string | undefined>, readFile?: (p: string) => string) => {
  try {
    loadConfig(env, readFile ? { readFile } : {});
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
};

const keys = rsaKeys();
const dir = mkdtempSync(join(tmpdir(), 'auth0-oncall-config-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('loadConfig', () => {
  it('loads a minimal environment and fills in the documented defaults', () => {
    const config = loadConfig(validEnv({ AUTH0_BASE_URL: undefined }));
    expect(config.slack.apiUrl).toBe('https://slack.com/api/');
    expect(config.slack.operators).toEqual(['U0OPERATOR']);
    expect(config.auth0.baseUrl).toBe('https://acme.eu.auth0.com');
    expect(config.auth0.credential).toEqual({
      kind: 'client_secret',
      clientSecret: 'bot-client-secret-value-0001',
    });
    expect(config.rotation).toEqual({ targets: [], schedule: '0 3 * * 1' });
    expect(config.poller).toEqual({ intervalSeconds: 30, lookbackMinutes: 0 });
    expect(config.watchers).toEqual({ intervalSeconds: 300, warningDays: 14 });
    expect(config.database.path).toBe('./data/auth0-oncall.db');
    expect(config.http).toEqual({ port: 3000, host: '0.0.0.0', logStreamToken: undefined });
    expect(config.shutdown.timeoutSeconds).toBe(10);
    expect(config.retention).toEqual({ logEventHours: 72, countDays: 35, auditDays: undefined });
  });

  it('reads the retention settings, and reports each bad one with its variable', () => {
    const config = loadConfig(
      validEnv({ LOG_RETENTION_HOURS: '168', COUNT_RETENTION_DAYS: '90', AUDIT_RETENTION_DAYS: '400' }),
    );
    expect(config.retention).toEqual({ logEventHours: 168, countDays: 90, auditDays: 400 });
    const err = problemsOf(
      validEnv({ LOG_RETENTION_HOURS: '2', COUNT_RETENTION_DAYS: 'a month', AUDIT_RETENTION_DAYS: '7' }),
    );
    expect(err.problems).toEqual([
      { variable: 'LOG_RETENTION_HOURS', message: 'must be a whole number from 24 to 8760' },
      { variable: 'COUNT_RETENTION_DAYS', message: 'must be a whole number from 8 to 3650' },
      {
        variable: 'AUDIT_RETENTION_DAYS',
        message: 'must be a whole number of days from 30 to 36500, or unset to keep forever',
      },
    ]);
  });

  it('reports every problem of an empty environment at once, each with its variable', () => {
    const err = problemsOf({});
    const variables = err.problems.map((p) => p.variable);
    for (const v of [
      'SLACK_BOT_TOKEN',
      'SLACK_APP_TOKEN',
      'SLACK_ALERT_CHANNEL',
      'SLACK_OPERATORS',
      'AUTH0_DOMAIN',
      'AUTH0_CLIENT_ID',
      'AUTH0_CLIENT_SECRET',
    ]) {
      expect(variables).toContain(v);
    }
    expect(err.code).toBe('config_invalid');
    expect(err.message).toMatch(/^Configuration is invalid \(\d+ problems\):/);
    expect(err.message).toContain('SLACK_BOT_TOKEN: is required');
  });

  it('treats empty strings as unset', () => {
    const err = problemsOf(validEnv({ SLACK_BOT_TOKEN: '  ' }));
    expect(err.problems).toEqual([
      expect.objectContaining({
        variable: 'SLACK_BOT_TOKEN',
        message: expect.stringContaining('is required'),
      }),
    ]);
  });

  it.each([
    ['SLACK_BOT_TOKEN', 'xoxp-user-token', /starting with xoxb-/],
    ['SLACK_APP_TOKEN', 'xoxb-wrong-kind', /starting with xapp-/],
    ['SLACK_ALERT_CHANNEL', '#alerts', /channel ID like C0123ABCD/],
    ['SLACK_OPERATOR_GROUP', 'U0123', /user-group ID/],
    ['SLACK_API_URL', 'ftp://slack', /http\(s\) URL/],
    ['AUTH0_DOMAIN', 'https://acme.auth0.com', /without scheme/],
    ['AUTH0_CLIENT_ID', 'x', /client ID/],
    ['HTTP_PORT', '70000', /0 to 65535/],
    ['HTTP_PORT', '30a', /whole number/],
    ['LOG_POLL_INTERVAL_SECONDS', '1', /2 to 3600/],
    ['LOG_STREAM_TOKEN', 'short', /at least 16/],
    ['EVENT_STREAM_TOKEN', 'short', /at least 16/],
    ['EVENT_STREAM_BASIC_AUTH', 'auth0:short', /user:password/],
    ['EVENT_STREAM_SQS_QUEUE_URL', 'auth0-events', /http\(s\) URL/],
    ['EVENT_STREAM_SQS_VISIBILITY_SECONDS', '5', /10 to 43200/],
    ['ROTATION_SCHEDULE', 'every monday', /cron expression/],
    ['LOG_LEVEL', 'verbose', /.+/],
    ['AWS_REGION', 'Europe', /AWS region/],
  ])('rejects %s=%j with a message naming the fix', (variable, value, message) => {
    const err = problemsOf(validEnv({ [variable]: value }));
    const problem = err.problems.find((p) => p.variable === variable);
    expect(problem?.message).toMatch(message);
  });

  it('turns backups off by default and reads BACKUP_DIR, BACKUP_INTERVAL_MINUTES and BACKUP_RETAIN', () => {
    expect(loadConfig(validEnv()).backup).toEqual({ dir: undefined, intervalMinutes: 60, retain: 48 });
    expect(
      loadConfig(validEnv({ BACKUP_DIR: '/backups', BACKUP_INTERVAL_MINUTES: '15', BACKUP_RETAIN: '96' }))
        .backup,
    ).toEqual({ dir: '/backups', intervalMinutes: 15, retain: 96 });
    expect(() => loadConfig(validEnv({ BACKUP_INTERVAL_MINUTES: '1', BACKUP_RETAIN: '0' }))).toThrow(
      /BACKUP_INTERVAL_MINUTES: must be a whole number from 5 to 10080[\s\S]*BACKUP_RETAIN: must be a whole number from 1 to 1000/,
    );
  });

  it('accepts cron schedules with 5 or 6 fields, and off', () => {
    expect(loadConfig(validEnv({ ROTATION_SCHEDULE: '*/15 2 * * 1-5' })).rotation.schedule).toBe(
      '*/15 2 * * 1-5',
    );
    expect(loadConfig(validEnv({ ROTATION_SCHEDULE: '0 0 3 * * MON' })).rotation.schedule).toBe(
      '0 0 3 * * MON',
    );
    expect(loadConfig(validEnv({ ROTATION_SCHEDULE: 'off' })).rotation.schedule).toBe('off');
  });

  describe('operators', () => {
    it('requires at least one operator or an operator group', () => {
      const err = problemsOf(validEnv({ SLACK_OPERATORS: undefined }));
      expect(err.problems[0]).toMatchObject({
        variable: 'SLACK_OPERATORS',
        message: expect.stringContaining('SLACK_OPERATOR_GROUP'),
      });
      expect(
        loadConfig(validEnv({ SLACK_OPERATORS: undefined, SLACK_OPERATOR_GROUP: 'S0OPS' })).slack.operators,
      ).toEqual([]);
    });

    it('parses a comma list, trims it and drops duplicates', () => {
      expect(loadConfig(validEnv({ SLACK_OPERATORS: ' U0A1, W0B2 ,U0A1,' })).slack.operators).toEqual([
        'U0A1',
        'W0B2',
      ]);
    });

    it('names the entries that are not user IDs', () => {
      const err = problemsOf(validEnv({ SLACK_OPERATORS: 'U0A1,@alice' }));
      expect(err.problems[0]?.message).toContain('"@alice"');
    });
  });

  describe('the Auth0 credential', () => {
    it('requires exactly one credential', () => {
      const none = problemsOf(validEnv({ AUTH0_CLIENT_SECRET: undefined }));
      expect(none.problems[0]).toMatchObject({
        variable: 'AUTH0_CLIENT_SECRET',
        message: expect.stringContaining('AUTH0_PRIVATE_KEY'),
      });
      const two = problemsOf(validEnv({ AUTH0_PRIVATE_KEY: keys.pkcs8 }));
      expect(two.problems[0]?.message).toContain('exactly one');
    });

    it('loads a PKCS#8 key from a file', () => {
      const file = join(dir, 'bot.pem');
      writeFileSync(file, keys.pkcs8);
      const config = loadConfig(validEnv({ AUTH0_CLIENT_SECRET: undefined, AUTH0_PRIVATE_KEY_FILE: file }));
      expect(config.auth0.credential).toEqual({
        kind: 'private_key_jwt',
        privateKeyPem: keys.pkcs8,
        source: 'AUTH0_PRIVATE_KEY_FILE',
      });
    });

    it('accepts an inline PEM with escaped newlines', () => {
      const inline = keys.pkcs8.replace(/\n/g, '\\n');
      const config = loadConfig(validEnv({ AUTH0_CLIENT_SECRET: undefined, AUTH0_PRIVATE_KEY: inline }));
      expect(config.auth0.credential).toMatchObject({ kind: 'private_key_jwt', privateKeyPem: keys.pkcs8 });
    });

    it('refuses a PKCS#1 key and says how to convert it', () => {
      const err = problemsOf(validEnv({ AUTH0_CLIENT_SECRET: undefined, AUTH0_PRIVATE_KEY: keys.pkcs1 }));
      expect(err.problems[0]).toMatchObject({
        variable: 'AUTH0_PRIVATE_KEY',
        message: expect.stringContaining('openssl pkcs8 -topk8'),
      });
    });

    it('refuses a file that cannot be read, naming the variable and the reason', () => {
      const err = problemsOf(
        validEnv({ AUTH0_CLIENT_SECRET: undefined, AUTH0_PRIVATE_KEY_FILE: join(dir, 'missing.pem') }),
      );
      expect(err.problems[0]).toMatchObject({
        variable: 'AUTH0_PRIVATE_KEY_FILE',
        message: expect.stringContaining('ENOENT'),
      });
    });

    it('refuses text that is not a private key, a truncated key, and a non-RSA key', () => {
      const notPem = problemsOf(validEnv({ AUTH0_CLIENT_SECRET: undefined, AUTH0_PRIVATE_KEY: 'hello' }));
      expect(notPem.problems[0]?.message).toContain('not a PKCS#8 PEM');
      const truncated = keys.pkcs8.slice(0, 200) + '\n-----END PRIVATE KEY-----\n';
      const broken = problemsOf(validEnv({ AUTH0_CLIENT_SECRET: undefined, AUTH0_PRIVATE_KEY: truncated }));
      expect(broken.problems[0]?.message).toContain('could not be parsed');
      const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' })
        .privateKey.export({ type: 'pkcs8', format: 'pem' })
        .toString();
      const wrongType = problemsOf(validEnv({ AUTH0_CLIENT_SECRET: undefined, AUTH0_PRIVATE_KEY: ec }));
      expect(wrongType.problems[0]?.message).toContain('must be an RSA key');
    });

    it('still reports credential problems when other variables are broken too', () => {
      const err = problemsOf({ SLACK_BOT_TOKEN: 'nope', AUTH0_PRIVATE_KEY: keys.pkcs1 });
      const variables = err.problems.map((p) => p.variable);
      expect(variables).toContain('SLACK_BOT_TOKEN');
      expect(variables).toContain('AUTH0_PRIVATE_KEY');
    });
  });

  describe('ROTATION_TARGETS', () => {
    it('parses targets whose secret IDs are ARNs with colons', () => {
      const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:reports-AbCdEf';
      const config = loadConfig(
        validEnv({
          AWS_REGION: 'eu-west-1',
          ROTATION_TARGETS: `Zx81billing:client_secret:prod/billing/auth0,\n Kq02reports:private_key_jwt:${arn}`,
        }),
      );
      expect(config.rotation.targets).toEqual([
        { clientId: 'Zx81billing', strategy: 'client_secret', secretId: 'prod/billing/auth0' },
        { clientId: 'Kq02reports', strategy: 'private_key_jwt', secretId: arn },
      ]);
    });

    it.each([
      ['Zx81billing', /fewer than three parts/],
      ['Zx81billing:client_secret', /fewer than three parts/],
      ['x:client_secret:s', /invalid client ID/],
      ['Zx81billing:rotate:prod/s', /unknown strategy "rotate"/],
      ['Zx81billing:client_secret:bad secret', /invalid Secrets Manager secret ID/],
      ['Zx81billing:client_secret:a,Zx81billing:client_secret:b', /already listed/],
    ])('rejects %j with the expected format', (value, message) => {
      const err = problemsOf(validEnv({ AWS_REGION: 'eu-west-1', ROTATION_TARGETS: value }));
      expect(err.problems[0]).toMatchObject({
        variable: 'ROTATION_TARGETS',
        message: expect.stringMatching(message),
      });
      expect(err.problems[0]?.message).toContain('<client_id>:<strategy>:<secret_id>');
    });

    it('requires AWS_REGION for rotation and for Bedrock', () => {
      const rotation = problemsOf(validEnv({ ROTATION_TARGETS: 'Zx81billing:client_secret:prod/b' }));
      expect(rotation.problems[0]).toMatchObject({
        variable: 'AWS_REGION',
        message: expect.stringContaining('ROTATION_TARGETS'),
      });
      const bedrock = problemsOf(validEnv({ BEDROCK_MODEL_ID: 'anthropic.claude-sonnet-4-5-v1:0' }));
      expect(bedrock.problems[0]).toMatchObject({
        variable: 'AWS_REGION',
        message: expect.stringContaining('BEDROCK_MODEL_ID'),
      });
      const queue = problemsOf(
        validEnv({
          EVENT_STREAM_SQS_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/auth0-events',
        }),
      );
      expect(queue.problems[0]).toMatchObject({
        variable: 'AWS_REGION',
        message: expect.stringContaining('EVENT_STREAM_SQS_QUEUE_URL'),
      });
    });
  });

  it('never puts a secret value into a problem message', () => {
    const secret = 'xoxp-super-secret-value-123';
    const err = problemsOf(
      validEnv({ SLACK_BOT_TOKEN: secret, LOG_STREAM_TOKEN: 'tiny', ANTHROPIC_API_KEY: 'sk-ant-zzz' }),
    );
    expect(err.message).not.toContain(secret);
    expect(err.message).not.toContain('tiny');
  });
});

describe('redactConfig', () => {
  it('replaces every secret, whichever credential is used', () => {
    const env = validEnv({
      ANTHROPIC_API_KEY: 'sk-ant-secret-key',
      LOG_STREAM_TOKEN: 'log-stream-token-0123456789',
      EVENT_STREAM_TOKEN: 'event-stream-token-0123456789',
      EVENT_STREAM_BASIC_AUTH: 'auth0:event-stream-password-0123',
    });
    const withSecret = JSON.stringify(redactConfig(loadConfig(env)));
    for (const secret of [
      'xoxb-test-bot-token',
      'xapp-1-A0APP-test-app-token',
      'bot-client-secret-value-0001',
      'sk-ant-secret-key',
      'log-stream-token-0123456789',
      'event-stream-token-0123456789',
      'event-stream-password-0123',
    ]) {
      expect(withSecret).not.toContain(secret);
    }
    const withKey = JSON.stringify(
      redactConfig(loadConfig(validEnv({ AUTH0_CLIENT_SECRET: undefined, AUTH0_PRIVATE_KEY: keys.pkcs8 }))),
    );
    expect(withKey).not.toContain('PRIVATE KEY');
    expect(withKey).toContain('"source":"AUTH0_PRIVATE_KEY"');
  });
});

describe('.env.example', () => {
  it('lists exactly the variables the schema reads, each with a comment above it', () => {
    const lines = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8').split('\n');
    const listed = lines.flatMap((line, i) => {
      const m = /^([A-Z0-9_]+)=/.exec(line);
      if (!m?.[1]) return [];
      expect(lines[i - 1], `${m[1]} needs a comment line above it`).toMatch(/^# \S/);
      return [m[1]];
    });
    expect([...listed].sort()).toEqual([...configVariables].sort());
    expect(new Set(listed).size).toBe(listed.length);
  });

  it('loads when the example is filled with valid values (the example itself does not invent variables)', () => {
    const example = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
    const env = Object.fromEntries([...example.matchAll(/^([A-Z0-9_]+)=(.*)$/gm)].map((m) => [m[1], m[2]]));
    expect(() => loadConfig({ ...env, ...validEnv() })).not.toThrow();
  });
});
