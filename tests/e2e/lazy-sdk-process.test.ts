/**
 * The AWS and model SDKs are imported on first use (docs/architecture.md, "SDKs load on first
 * use"). A child Node (the built app; run `npm run build` first) records every module URL its
 * loader resolves, ESM and CommonJS alike (module.registerHooks), builds the app from its
 * environment, optionally runs the setup doctor (whose probes call Secrets Manager and both
 * models), and prints which SDK files had been loaded at each point.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FAKE_CREDENTIALS, FakeSecretsManager, FakeSqs } from '@auth0-oncall/fakes/aws';
import { FakeAnthropic, FakeBedrock } from '@auth0-oncall/fakes/llm';
import { builtEntry, projectRoot } from '../../sandbox/app-process.js';
import { validEnv } from '../helpers/env.js';

const SDK_PACKAGES = [
  '@aws-sdk/client-secrets-manager',
  '@aws-sdk/client-bedrock-runtime',
  '@aws-sdk/client-sqs',
  '@anthropic-ai/sdk',
] as const;

/** Runs in the child: plain ESM, as `node --input-type=module -e`. */
const probeScript = `
import { registerHooks } from 'node:module';
const resolved = new Set();
registerHooks({
  resolve(specifier, context, nextResolve) {
    const result = nextResolve(specifier, context);
    resolved.add(result.url);
    return result;
  },
});
// The package of every file loaded from node_modules, e.g. "@aws-sdk/core".
const packages = () => [...new Set([...resolved].flatMap((url) => {
  const m = /\\/node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(url);
  return m ? [m[1]] : [];
}))].sort();
const { loadConfig } = await import('./dist/src/config.js');
const { createLogger } = await import('./dist/src/logger.js');
const { buildApp } = await import('./dist/src/app.js');
const app = buildApp({ config: loadConfig(process.env), logger: createLogger({ level: 'silent' }), version: 'test' });
const afterBuild = packages();
let afterDoctor = [];
if (process.argv.includes('--doctor')) {
  await app.doctor.check();
  afterDoctor = packages();
}
process.stdout.write(JSON.stringify({ afterBuild, afterDoctor }), () => process.exit(0));
`;

interface Loaded {
  readonly afterBuild: string[];
  readonly afterDoctor: string[];
}

const dir = mkdtempSync(join(tmpdir(), 'auth0-oncall-lazy-sdk-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const run = (env: Record<string, string>, args: string[] = []): Promise<Loaded> =>
  new Promise((resolve, reject) => {
    if (!existsSync(builtEntry)) throw new Error(`${builtEntry} is missing: run \`npm run build\` first`);
    const child = spawn(process.execPath, ['--input-type=module', '-e', probeScript, '--', ...args], {
      cwd: projectRoot,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) resolve(JSON.parse(out) as Loaded);
      else reject(new Error(`probe exited ${String(code)}: ${err}`));
    });
  });

/** Loopback only: port 1 refuses at once, so the doctor's Slack and Auth0 checks fail fast. */
const baseEnv = (name: string, extra: Record<string, string> = {}): Record<string, string> =>
  Object.fromEntries(
    Object.entries(
      validEnv({
        SLACK_API_URL: 'http://127.0.0.1:1/api/',
        DATABASE_PATH: join(dir, `${name}.db`),
        HTTP_HOST: '127.0.0.1',
        HTTP_PORT: '0',
        ...extra,
      }),
    ).flatMap(([k, v]) => (v === undefined ? [] : [[k, v]])),
  );

describe('the built app loads the Auth0, AWS and model SDKs on first use', () => {
  it('builds with no rotation target, model or queue without loading any of them', async () => {
    const loaded = await run(baseEnv('plain'));
    // The hook sees packages loaded both ways: Bolt (CommonJS) and zod (ESM).
    expect(loaded.afterBuild).toEqual(expect.arrayContaining(['@slack/bolt', 'zod']));
    expect(loaded.afterBuild.filter((p) => p.startsWith('@aws-sdk/') || p.startsWith('@smithy/'))).toEqual(
      [],
    );
    expect(loaded.afterBuild).not.toContain('@anthropic-ai/sdk');
    // Nor the Auth0 SDK: the first Management API call loads it (start-up does, once Slack is connected).
    expect(loaded.afterBuild).not.toContain('auth0');
  });

  it('with all of them configured, loads none until a call needs it, and then the one it needs', async () => {
    const sm = await FakeSecretsManager.start();
    const sqs = await FakeSqs.start();
    const bedrock = await FakeBedrock.start();
    const anthropic = await FakeAnthropic.start();
    try {
      sm.seed('prod/billing', 'current-secret-value');
      bedrock.script.always({ kind: 'text', text: 'p' });
      anthropic.script.always({ kind: 'text', text: 'p' });
      const loaded = await run(
        baseEnv('configured', {
          AWS_REGION: 'us-east-1',
          AWS_ACCESS_KEY_ID: FAKE_CREDENTIALS.accessKeyId,
          AWS_SECRET_ACCESS_KEY: FAKE_CREDENTIALS.secretAccessKey,
          AWS_ENDPOINT_URL_SECRETS_MANAGER: sm.endpoint,
          ROTATION_TARGETS: 'Zx81billing:client_secret:prod/billing',
          ROTATION_SCHEDULE: 'off',
          BEDROCK_MODEL_ID: 'anthropic.claude-test-v1:0',
          AWS_ENDPOINT_URL_BEDROCK_RUNTIME: bedrock.endpoint,
          ANTHROPIC_API_KEY: 'sk-ant-test-key',
          ANTHROPIC_BASE_URL: anthropic.baseURL,
          AWS_ENDPOINT_URL_SQS: sqs.endpoint,
          EVENT_STREAM_SQS_QUEUE_URL: sqs.createQueue('auth0-events'),
        }),
        ['--doctor'],
      );
      for (const sdk of [...SDK_PACKAGES, 'auth0']) expect(loaded.afterBuild).not.toContain(sdk);
      // The doctor's probes called Secrets Manager and both models through the real SDKs…
      expect(sm.requests.map((r) => r.op)).toContain('GetSecretValue');
      expect(bedrock.requests).not.toHaveLength(0);
      expect(anthropic.requests).not.toHaveLength(0);
      // …which were loaded for it; nothing received from SQS, so its SDK is still not loaded.
      expect(loaded.afterDoctor).toEqual(
        expect.arrayContaining([
          '@aws-sdk/client-secrets-manager',
          '@aws-sdk/client-bedrock-runtime',
          '@anthropic-ai/sdk',
          'auth0',
        ]),
      );
      expect(loaded.afterDoctor).not.toContain('@aws-sdk/client-sqs');
    } finally {
      await Promise.all([sm.stop(), sqs.stop(), bedrock.close(), anthropic.close()]);
    }
  });
});
