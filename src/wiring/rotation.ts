import { generateKeyPair, randomBytes, randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { Auth0RotationTenant } from '../auth0/auth0-rotation-tenant.js';
import type { StatusProvider } from '../core/status/model.js';
import { rotationIncidentDecisions, stuckRotationDecisions } from '../core/rotation/failure-incident.js';
import { rotationStartedBy } from '../core/rotation/origin.js';
import { createRotationResumption } from '../core/rotation/resumption.js';
import { createRotationService } from '../core/rotation/index.js';
import { createOwnCredential } from '../core/rotation/own-credential.js';
import type { RotationService, RotationStarter } from '../core/rotation/ports.js';
import { createRotationRequests, type RotationRequests } from '../core/rotation/requests.js';
import { rotationStatusProvider } from '../core/rotation/status.js';
import { createClientNames } from '../core/rotation/client-names.js';
import type { Tenant } from '../core/tenant/ports.js';
import type { SecretStore } from '../core/secrets/ports.js';
import { createRotationSchedule } from '../jobs/rotation-schedule.js';
import { abortableSleep } from '../jobs/sleep.js';
import { createRotationMetrics } from '../metrics/rotation-metrics.js';
import type { CommandReply } from '../slack/blocks/help-blocks.js';
import { createRotateCommand, slackRotationAnnouncements } from '../slack/rotate-command.js';
import type { Incidents } from './incidents.js';
import type { Platform } from './platform.js';
import type { TenantWatching } from './tenant.js';
import type { Listeners } from '../slack/listener-table.js';

const rsa = promisify(generateKeyPair);

/** The rotation machine over Auth0 and Secrets Manager; undefined when rotation is not configured. */
export const wireRotationService = (
  platform: Platform,
  deps: {
    readonly secrets: SecretStore | undefined;
    readonly watching: Pick<TenantWatching, 'client' | 'policy' | 'auth0Fetch' | 'switchCredential'>;
    readonly propagation: { attempts: number; delayMs: number };
  },
): {
  service: RotationService | undefined;
  /** When the bot's own client is a target: use the credential in Secrets Manager (AWSCURRENT). */
  adoptOwnCredential: (signal?: AbortSignal) => Promise<boolean>;
} => {
  const { config, stores } = platform;
  const secrets = deps.secrets;
  if (!secrets) return { service: undefined, adoptOwnCredential: () => Promise.resolve(false) };
  const own = createOwnCredential({
    own: config.rotation.targets.find((t) => t.clientId === config.auth0.clientId),
    secrets,
    switchTo: (target, value, signal) =>
      deps.watching.switchCredential(
        target.strategy === 'client_secret'
          ? { kind: 'client_secret', clientSecret: value }
          : { kind: 'private_key_jwt', privateKeyPem: value, source: 'AUTH0_PRIVATE_KEY' },
        signal,
      ),
    onSwitchFailed: (err) => {
      platform.logger.error(
        { event: 'rotation.own_switch_failed', err },
        'the bot could not switch to its new credential',
      );
    },
  });
  const inner = createRotationService({
    rotations: stores.rotations,
    secrets,
    tenant: new Auth0RotationTenant({
      client: deps.watching.client,
      policy: deps.watching.policy,
      domain: config.auth0.domain,
      baseUrl: config.auth0.baseUrl,
      fetch: deps.watching.auth0Fetch,
    }),
    control: stores.rotationControl,
    audit: stores.audit,
    now: platform.now,
    newId: randomUUID,
    newToken: randomUUID,
    // 48 random bytes: 64 characters of base64url, well above what a brute force could reach.
    generateSecret: () => randomBytes(48).toString('base64url'),
    generateKeyPair: async () => {
      const { publicKey, privateKey } = await rsa('rsa', {
        modulusLength: 2048,
        publicKeyEncoding: { type: 'spki', format: 'pem' },
        privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      });
      return { publicKeyPem: publicKey, privateKeyPkcs8Pem: privateKey };
    },
    sleep: abortableSleep,
    propagation: deps.propagation,
    keyGraceMs: 10 * 60_000,
    onEvent: (e) => {
      platform.logger.info({ ...e, event: `rotation.${e.type}` }, 'rotation');
    },
  });
  return { service: own.around(inner), adoptOwnCredential: own.adopt };
};

export interface Rotation {
  readonly register: (app: Listeners) => void;
  readonly command: (
    user: string,
    clientId: string | undefined,
    triggerId: string,
  ) => Promise<CommandReply | undefined>;
  readonly status: StatusProvider;
  /** The runbook step's way in: the same use case as the schedule and the command. */
  readonly starter: RotationStarter | undefined;
  /**
   * At start-up, before step claims are recovered: every unfinished rotation is resumed once;
   * any still stuck is retried in the background with backoff, with an incident saying so.
   */
  resume(): Promise<number>;
  start(): void;
  stop(): Promise<void>;
}

const NOT_CONFIGURED: CommandReply = {
  response_type: 'ephemeral',
  text: 'No rotation targets are configured: set ROTATION_TARGETS (and AWS_REGION) to rotate credentials.',
  blocks: [],
};

/**
 * Schedule, `/auth0 rotate` and the runbook step, all through the one rotation-request use case;
 * every outcome is counted and a failure opens an incident with rollback as a step.
 */
export const wireRotation = (
  platform: Platform,
  deps: {
    readonly service: RotationService | undefined;
    readonly incidents: Pick<Incidents, 'chat' | 'outbox' | 'operators' | 'service'>;
    /** Where client names come from (the tenant's M2M clients). */
    readonly tenant: Pick<Tenant, 'listM2mClients'>;
  },
): Rotation => {
  const { config, logger, now, stores, bus } = platform;
  const targets = config.rotation.targets;
  const metrics = createRotationMetrics(platform.metrics.registry);
  const service = deps.service;
  const names = createClientNames({
    list: async (signal) =>
      (await deps.tenant.listM2mClients(signal)).map(({ clientId, name }) => ({ clientId, name })),
    logs: stores.logs,
    now,
  });
  if (!service || targets.length === 0) {
    return {
      register: () => undefined,
      command: () => Promise.resolve(NOT_CONFIGURED),
      status: rotationStatusProvider({
        targets: [],
        rotations: stores.rotations,
        control: stores.rotationControl,
        nextRun: () => undefined,
        now,
      }),
      starter: undefined,
      resume: () => Promise.resolve(0),
      start: () => undefined,
      stop: () => Promise.resolve(),
    };
  }
  const requests: RotationRequests = createRotationRequests({
    targets,
    service,
    claims: stores.claims,
    operators: deps.incidents.operators,
    control: stores.rotationControl,
    audit: stores.audit,
    announce: slackRotationAnnouncements(deps.incidents.outbox, config.slack.alertChannel, now, names),
    events: bus,
    now,
    onError: (err) => {
      logger.warn({ event: 'rotation.request_failed', err }, 'a rotation request failed');
    },
  });
  const resumption = createRotationResumption({
    service,
    finished: (r) => requests.resumed(r),
    stuck: async (r) => {
      logger.error(
        {
          event: 'rotation.stuck',
          rotationId: r.rotation.id,
          clientId: r.target.clientId,
          state: r.rotation.state,
        },
        'a rotation is stuck: retrying with backoff',
      );
      await deps.incidents.service.apply(stuckRotationDecisions(r.target, r.rotation, now()));
    },
    spawn: platform.tasks.spawn,
    sleep: abortableSleep,
    backoff: platform.overrides.rotationResumeBackoff ?? { firstMs: 5_000, maxMs: 5 * 60_000 },
    onError: (err) => {
      logger.warn({ event: 'rotation.resume_failed', err }, 'resuming unfinished rotations failed');
    },
  });
  bus.subscribe('rotation_finished', async (e) => {
    metrics.result(e.result);
    await deps.incidents.service.apply(rotationIncidentDecisions(e.target, e.result, now()));
    // A live attempt left unfinished (a dependency went down mid-way) is retried like one at start.
    if (!e.result.ok && 'rolledBack' in e.result && stores.rotations.listUnfinished().length > 0) {
      resumption.kick();
    }
  });
  const schedule = createRotationSchedule({
    schedule: config.rotation.schedule,
    targets,
    requests,
    slots: stores.jobSlots,
    now,
    logger,
    onOverlap: () => {
      metrics.rotation('skipped');
    },
  });
  const rotate = createRotateCommand({
    targets,
    requests,
    rotations: stores.rotations,
    logs: stores.logs,
    control: stores.rotationControl,
    names,
    nextRun: () => schedule.nextRun(),
    chat: deps.incidents.chat,
    channel: config.slack.alertChannel,
    now,
    openModal: async (trigger_id, view) => {
      await platform.slackClient.views.open({ trigger_id, view });
    },
    onError: (err) => {
      logger.warn({ event: 'rotation.command_failed', err }, 'the rotate command failed');
    },
  });
  return {
    register: rotate.register,
    command: rotate.command,
    status: rotationStatusProvider({
      targets,
      rotations: stores.rotations,
      control: stores.rotationControl,
      nextRun: () => schedule.nextRun(),
      now,
      names,
    }),
    starter: {
      async rotate(target, by, signal, origin) {
        const outcome = await requests.request({
          clientId: target.clientId,
          trigger: 'step',
          by,
          ...(signal ? { signal } : {}),
          ...(origin === undefined ? {} : { origin }),
        });
        if (outcome === 'denied') return { ok: false, summary: 'only operators can rotate credentials' };
        if (outcome === 'unknown_target')
          return { ok: false, summary: `${target.clientId} is not a rotation target` };
        if ('kind' in outcome) return { ok: false, summary: 'this request was already made' };
        return { ok: outcome.ok, summary: outcome.summary };
      },
      startedBy: (clientId, origin) => rotationStartedBy(stores.rotations, clientId, origin),
    },
    resume: async () => {
      const stuck = await resumption.resume();
      requests.settleInterrupted();
      return stuck;
    },
    start: () => {
      schedule.start();
    },
    stop: async () => {
      resumption.stop();
      await schedule.stop();
    },
  };
};
