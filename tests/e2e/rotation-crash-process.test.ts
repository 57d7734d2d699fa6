import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { FakeAuth0 } from '@auth0-oncall/fakes/auth0';
import { FakeSecretsManager } from '@auth0-oncall/fakes/aws';
import { FakeSlack, SlackDriver, waitFor } from '@auth0-oncall/fakes/slack';
import { spawnApp } from '../../sandbox/app-process.js';
import { testScope } from '../helpers/world.js';
import { validEnv } from '../helpers/env.js';

const scope = testScope('e2e-rotation');

const BOT = 'botClient0001';
const CLIENT = 'Zx81billing';
const OLD = 'billing-secret-old-0123456789abcdefghijklmnopqrstuvwxyz';
const SECRET_ID = 'prod/billing';
const OPERATOR = 'U0OPERATOR';
const STAGE_MOVE = 'UpdateSecretVersionStage';

/**
 * The built app as a process, killed with SIGKILL after Auth0's PATCH of a rotation (the stage
 * move that would promote it is held open at the fake), then started again while Secrets Manager
 * answers 500 (docs/decisions/0003-client-secret-rotation-by-patch.md).
 */
describe('a rotation killed after Auth0’s PATCH, restarted while Secrets Manager is down', () => {
  it('is resumed by the recurring job once Secrets Manager is back: Auth0’s secret is AWSCURRENT, no AWSPENDING', async () => {
    const slack = await FakeSlack.start();
    scope.defer(() => slack.stop());
    const auth0 = await FakeAuth0.start({ logRateLimits: false, secretPropagationMs: 1_000 });
    scope.defer(() => auth0.stop());
    auth0.addClient({
      clientId: BOT,
      name: 'auth0-oncall',
      appType: 'non_interactive',
      secret: 'bot-client-secret-value-0001',
    });
    auth0.addClient({ clientId: CLIENT, name: 'billing-worker', appType: 'non_interactive', secret: OLD });
    const sm = await FakeSecretsManager.start();
    scope.defer(() => sm.stop());
    sm.seed(SECRET_ID, OLD);
    const dbPath = scope.dbPath();
    const env = validEnv({
      SLACK_BOT_TOKEN: slack.options.botToken,
      SLACK_APP_TOKEN: slack.options.appToken,
      SLACK_API_URL: slack.apiUrl,
      AUTH0_BASE_URL: auth0.baseUrl,
      AUTH0_CLIENT_ID: BOT,
      DATABASE_PATH: dbPath,
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: '0',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_ENDPOINT_URL_SECRETS_MANAGER: sm.endpoint,
      ROTATION_TARGETS: `${CLIENT}:client_secret:${SECRET_ID}`,
      ROTATION_SCHEDULE: 'off',
    });
    const start = () => {
      const app = spawnApp(env);
      scope.defer(() => app.stop());
      return app;
    };
    const driver = new SlackDriver(slack, { command: '/auth0', channelId: 'C0ALERTS' });

    const first = start();
    await first.waitForLog('app.ready', 20_000);
    sm.latency(STAGE_MOVE, 600_000);
    await driver.command(OPERATOR, `rotate ${CLIENT}`);
    const modal = await slack.waitFor(() => slack.openModals(OPERATOR)[0], { timeoutMs: 10_000 });
    await driver.submitView(OPERATOR, modal.id, {});
    await waitFor(() => (sm.requestsFor(STAGE_MOVE).length > 0 ? true : undefined), { timeoutMs: 15_000 });
    expect(auth0.clients.get(CLIENT)?.secret).not.toBe(OLD); // Auth0 has the new secret
    first.child.kill('SIGKILL');
    expect(await first.exited).toMatchObject({ signal: 'SIGKILL' });
    sm.latency(STAGE_MOVE, 0);
    sm.outage();

    const second = start();
    // start() resumes once (stuck: Secrets Manager is down) before it reports ready.
    await second.waitForLog('app.ready', 30_000);
    sm.restore();

    const current = () => sm.versions(SECRET_ID).find((v) => v.stages.includes('AWSCURRENT'))?.value;
    await waitFor(
      () =>
        auth0.clients.get(CLIENT)?.secret === current() &&
        !Object.values(sm.stagesOf(SECRET_ID)).flat().includes('AWSPENDING')
          ? true
          : undefined,
      { timeoutMs: 40_000 },
    );
    expect(current()).not.toBe(OLD);
    const db = new Database(dbPath, { readonly: true, fileMustExist: true });
    try {
      // Promoted; the machine then checks AWSCURRENT at Auth0 before it records the outcome.
      const rotations = await waitFor(() => {
        const all = db.prepare('SELECT outcome FROM rotations').pluck().all();
        return all.every((o) => o !== null) ? all : undefined;
      });
      expect(rotations).toEqual(['succeeded']);
      const titles = db
        .prepare("SELECT title FROM incidents WHERE signal = 'rotation_failed'")
        .pluck()
        .all() as string[];
      expect(titles.some((t) => t.includes('stuck'))).toBe(true);
    } finally {
      db.close();
    }
    expect(second.logs.find((l) => l.event === 'rotation.stuck')).toMatchObject({ clientId: CLIENT });
    expect(auth0.requestsTo(`/api/v2/clients/${CLIENT}`, 'PATCH').length).toBeGreaterThanOrEqual(1);
  }, 90_000);
});
