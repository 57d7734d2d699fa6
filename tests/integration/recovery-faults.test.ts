import { describe, expect, it } from 'vitest';
import { FakeSecretsManager } from '@auth0-oncall/fakes/aws';
import { SlackDriver } from '@auth0-oncall/fakes/slack';
import { buildApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { SqliteIdempotencyClaims, SqliteIncidentStore } from '../../src/store/index.js';
import { severableProxy, type SeverableProxy } from '../helpers/severable-proxy.js';
import { capturingLogger, fakeEnv, startSlackAndAuth0, testScope } from '../helpers/world.js';

/**
 * Crash recovery of credential changes (docs/decisions/0003-client-secret-rotation-by-patch.md):
 * the whole app against the fake Slack, Auth0 and Secrets Manager, crashed at a chosen point and
 * started again on the same database. The crash is simulated in-process: the fake holds the call
 * that marks the point open, the app's network to Auth0 and Secrets Manager is cut (so it can make
 * no further effect, as after kill -9) and it is dropped without draining; a new app is then built
 * on the same database and started with the production start order.
 */

const CLIENT = 'Zx81billing';
const OLD = 'billing-secret-old-0123456789abcdefghijklmnopqrstuvwxyz';
const NEW = 'billing-secret-new-0123456789abcdefghijklmnopqrstuvwxyz';
const SECRET_ID = 'prod/billing';
const OPERATOR = 'U0OPERATOR';
const STAGE_MOVE = 'UpdateSecretVersionStage';
/** The fake keeps a replaced secret working this long; the app waits a little longer to judge. */
const PROPAGATION_MS = 800;
const scope = testScope('recovery');

const world = async () => {
  const { slack, auth0 } = await startSlackAndAuth0(scope, { secretPropagationMs: PROPAGATION_MS });
  auth0.addClient({ clientId: CLIENT, name: 'billing-worker', appType: 'non_interactive', secret: OLD });
  const sm = await FakeSecretsManager.start();
  scope.defer(() => sm.stop());
  const dbPath = scope.dbPath();
  const { logger, lines: logs } = capturingLogger('warn');

  /** One boot of the installation: its own cuttable network to Auth0 and Secrets Manager. */
  const boot = async () => {
    const toAuth0 = await severableProxy(auth0.baseUrl);
    const toSm = await severableProxy(sm.endpoint);
    const app = buildApp({
      config: loadConfig(
        fakeEnv({ slack, auth0 }, dbPath, {
          AUTH0_BASE_URL: toAuth0.url,
          AWS_REGION: 'us-east-1',
          AWS_ENDPOINT_URL_SECRETS_MANAGER: toSm.url,
          ROTATION_TARGETS: `${CLIENT}:client_secret:${SECRET_ID}`,
          ROTATION_SCHEDULE: 'off',
        }),
      ),
      logger,
      version: 'test',
      overrides: {
        slackRetry: { retries: 0 },
        awsCredentials: { accessKeyId: 'test', secretAccessKey: 'test' },
        propagation: { attempts: 5, delayMs: 200 },
        rotationResumeBackoff: { firstMs: 200, maxMs: 1_000 },
      },
    });
    const running = { app, net: [toAuth0, toSm] as SeverableProxy[], dead: false };
    scope.defer(() => drop(running));
    await app.start();
    return running;
  };

  /** A crash: the network goes first, then the app is dropped without draining anything. */
  const drop = async (r: { app: App; net: SeverableProxy[]; dead: boolean }) => {
    if (r.dead) return;
    r.dead = true;
    for (const n of r.net) await n.sever();
    for (const step of r.app.shutdownPlan.stopIntake) await step.run();
    for (const step of r.app.shutdownPlan.release) await step.run();
  };

  const current = () => sm.versions(SECRET_ID).find((v) => v.stages.includes('AWSCURRENT'));
  return {
    slack,
    auth0,
    sm,
    boot,
    drop,
    current,
    logs,
    driver: new SlackDriver(slack, { command: '/auth0', channelId: 'C0ALERTS' }),
  };
};
type World = Awaited<ReturnType<typeof world>>;

/** An open incident about the client whose runbook has one action step; its card is posted. */
const incidentWithStep = async (app: App, action: string) => {
  const incidents = new SqliteIncidentStore(app.db);
  const at = new Date().toISOString();
  incidents.open({
    id: 'inc-1',
    signal: 'rotation_failed',
    scope: `client:${CLIENT}/rotation`,
    severity: 'high',
    title: `Rotation of ${CLIENT} failed`,
    at,
  });
  incidents.setSteps(
    'inc-1',
    [
      {
        stepId: 's1',
        kind: 'action',
        title: action,
        body: 'Changes the tenant.',
        action,
        params: { clientId: CLIENT },
      },
    ],
    at,
  );
  await app.incidents.service.repostMissingCards();
  const ts = incidents.get('inc-1')?.slackTs;
  if (!ts) throw new Error('the card was not posted');
  return { key: 'step:inc-1:s1', ts };
};

/** Clicks the destructive step and confirms it in its modal. */
const confirmStep = async (w: World, step: { key: string; ts: string }) => {
  await w.driver.rawClick(OPERATOR, { actionId: step.key, messageTs: step.ts });
  const modal = await w.slack.waitFor(() => w.slack.openModals(OPERATOR)[0]);
  await w.driver.submitView(OPERATOR, modal.id, {});
};

/** Holds every stage move open at the fake until released: the crash point. */
const holdStageMoves = (w: World, before: number) => {
  w.sm.latency(STAGE_MOVE, 600_000);
  return () =>
    w.slack.waitFor(() => (w.sm.requestsFor(STAGE_MOVE).length > before ? true : undefined), {
      timeoutMs: 15_000,
    });
};

const claimOf = (app: App, key: string) => new SqliteIdempotencyClaims(app.db).get(key);

const settled = (w: World, app: App, key: string) =>
  w.slack.waitFor(
    () => {
      const claim = claimOf(app, key);
      return claim && claim.state !== 'running' ? claim : undefined;
    },
    { timeoutMs: 20_000 },
  );

describe('recovery from the recorded plan after a crash', () => {
  it('completes a rollback killed between Auth0’s PATCH and the stage move: both sides agree and it is judged after the propagation window', async () => {
    const w = await world();
    const { versionId: oldVersion } = w.sm.seed(SECRET_ID, OLD);
    const newVersion = w.sm.putVersion(SECRET_ID, NEW, ['AWSCURRENT']);
    w.sm.putVersion(SECRET_ID, OLD, ['AWSPREVIOUS'], oldVersion);
    w.auth0.clients.get(CLIENT)!.secret = NEW;
    const first = await w.boot();
    const step = await incidentWithStep(first.app, 'rollback_client_secret');

    const reached = holdStageMoves(w, 0);
    await confirmStep(w, step);
    await reached();
    expect(w.auth0.clients.get(CLIENT)?.secret).toBe(OLD); // Auth0 was changed; Secrets Manager not yet.
    await w.drop(first);
    w.sm.latency(STAGE_MOVE, 0);

    // Restarted inside Auth0's window: the replaced secret (AWSCURRENT) is still accepted there.
    const second = await w.boot();
    const claim = await settled(w, second.app, step.key);
    expect(claim.state).toBe('succeeded');
    expect(w.sm.stagesOf(SECRET_ID)).toEqual({ [oldVersion]: ['AWSCURRENT'], [newVersion]: ['AWSPREVIOUS'] });
    expect(w.auth0.clients.get(CLIENT)?.secret).toBe(w.current()?.value);
    expect(claim.resultSummary).toContain('completed from its recorded plan');
  });

  it('settles a rotate step killed mid-rotation from its rotation’s outcome: one rotation, reported succeeded, no Retry', async () => {
    const w = await world();
    w.sm.seed(SECRET_ID, OLD);
    const first = await w.boot();
    const step = await incidentWithStep(first.app, 'rotate_client_credential');

    const reached = holdStageMoves(w, 0);
    await confirmStep(w, step);
    await reached(); // Auth0 has the new secret; the promotion is under way.
    await w.drop(first);
    w.sm.latency(STAGE_MOVE, 0);

    const second = await w.boot();
    const claim = await settled(w, second.app, step.key);
    expect(claim.state).toBe('succeeded');
    expect(w.auth0.requestsTo(`/api/v2/clients/${CLIENT}`, 'PATCH')).toHaveLength(1);
    expect(w.sm.requestsFor('PutSecretValue')).toHaveLength(1);
    expect(w.auth0.clients.get(CLIENT)?.secret).toBe(w.current()?.value);
    expect(w.auth0.clients.get(CLIENT)?.secret).not.toBe(OLD);
    const stepRow = new SqliteIncidentStore(second.app.db).getStep('inc-1', 's1');
    expect(stepRow?.state).toBe('succeeded');
  });
});

describe('a rotation stuck by a dependency', () => {
  it('is resumed by the recurring job once Secrets Manager is back, with an incident naming each side meanwhile', async () => {
    const w = await world();
    w.sm.seed(SECRET_ID, OLD);
    const first = await w.boot();
    const reached = holdStageMoves(w, 0);
    await w.driver.command(OPERATOR, `rotate ${CLIENT}`);
    const modal = await w.slack.waitFor(() => w.slack.openModals(OPERATOR)[0]);
    await w.driver.submitView(OPERATOR, modal.id, {});
    await reached(); // Auth0 holds the new secret; AWSCURRENT the old one.
    await w.drop(first);
    w.sm.latency(STAGE_MOVE, 0);
    w.sm.outage(); // Secrets Manager answers 500 at the restart.

    // start() resumes once and returns with the attempt stuck; the recurring job takes over.
    const second = await w.boot();
    const db = second.app.db.db;
    const incident = db
      .prepare<[], { id: string; title: string; evidence: string }>(
        "SELECT id, title, evidence FROM incidents WHERE signal = 'rotation_failed'",
      )
      .get();

    w.sm.restore();
    await w.slack.waitFor(
      () => db.prepare<[], string>("SELECT outcome FROM rotations WHERE outcome = 'succeeded'").pluck().get(),
      // Secrets Manager's breaker opened during the outage; it lets a trial call through after 5 s
      // (longer if a trial met the outage on a loaded machine).
      { timeoutMs: 30_000 },
    );
    expect(incident?.title).toContain('stuck');
    expect(incident?.evidence).toContain('Auth0 holds the new secret');
    expect(incident?.evidence).toContain('To roll back');
    expect(w.auth0.clients.get(CLIENT)?.secret).toBe(w.current()?.value);
    expect(Object.values(w.sm.stagesOf(SECRET_ID)).flat()).not.toContain('AWSPENDING');
    await w.slack.waitFor(() =>
      db
        .prepare<[string], string>('SELECT state FROM incidents WHERE id = ?')
        .pluck()
        .get(incident?.id ?? '') === 'resolved'
        ? true
        : undefined,
    );
  }, 45_000);
});

describe('a redelivered /auth0 rotate confirmation', () => {
  it('is answered from its claim and rotates nothing a second time', async () => {
    const w = await world();
    w.sm.seed(SECRET_ID, OLD);
    const app = await w.boot();
    await w.driver.command(OPERATOR, `rotate ${CLIENT}`);
    const modal = await w.slack.waitFor(() => w.slack.openModals(OPERATOR)[0]);
    const submitted = await w.driver.submitView(OPERATOR, modal.id, {});
    const db = app.app.db.db;
    await w.slack.waitFor(
      () => db.prepare<[], string>('SELECT outcome FROM rotations WHERE outcome IS NOT NULL').pluck().get(),
      { timeoutMs: 15_000 },
    );
    const envelope = w.slack.envelopes.find((e) => e.envelopeId === submitted.ack.envelopeId);
    if (!envelope) throw new Error('the submission envelope was not recorded');

    // Slack resends the same envelope (it did not see the ack in time).
    const again = await w.slack.sendEnvelope('interactive', envelope.payload, {
      envelopeId: envelope.envelopeId,
      retryAttempt: 1,
      retryReason: 'timeout',
    });
    expect(again.acked).toBe(true);
    // Answered from the claim — or, without one, a second rotation starts.
    await w.slack.waitFor(
      () =>
        w.slack.ephemeralsFor(OPERATOR).find((e) => /already confirmed/.test(e.text ?? '')) ??
        (db.prepare('SELECT id FROM rotations').all().length > 1 ? true : undefined),
      { timeoutMs: 15_000 },
    );
    expect(db.prepare('SELECT id FROM rotations').all()).toHaveLength(1);
    expect(w.auth0.requestsTo(`/api/v2/clients/${CLIENT}`, 'PATCH')).toHaveLength(1);
    expect(w.sm.requestsFor('PutSecretValue')).toHaveLength(1);
  });
});
