import { generateKeyPair, randomBytes, randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import type { App, webApi } from '@slack/bolt';
import type { Registry } from 'prom-client';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { Auth0RotationTenant } from '../auth0/auth0-rotation-tenant.js';
import type { AuditLog } from '../core/audit/ports.js';
import type { RotationControl, RotationStarter } from '../core/rotation/ports.js';
import type { Incidents } from './incidents.js';
import type { RotationResult, RotationService } from '../core/rotation/ports.js';
import { createRotationService, createRotationStarter } from '../core/rotation/index.js';
import type { RotationTarget } from '../core/rotation/target.js';
import type { SecretStore } from '../core/secrets/ports.js';
import type { StatusProvider } from '../core/status/model.js';
import type { TenantWatching } from './tenant.js';
import { createRotationMetrics } from '../metrics/rotation-metrics.js';
import { abortableSleep } from '../jobs/sleep.js';
import { createRotationSchedule } from '../jobs/rotation-schedule.js';
import { rotationStatusProvider } from '../core/rotation/status.js';
import type { CommandReply } from '../slack/blocks/help-blocks.js';
import { createRotateCommand, createRotationAnnouncer } from '../slack/rotate-command.js';
import { SqliteJobSlots, SqliteLogStore, SqliteRotationStore, type StoreDatabase } from '../store/index.js';

const rsa = promisify(generateKeyPair);

/** Phase 1: the rotation service itself (needed by the runbook catalog before incidents exist). */
export const createRotation = (deps: {
  readonly store: StoreDatabase;
  readonly secrets: SecretStore | undefined;
  readonly watching: Pick<TenantWatching, 'client' | 'policy' | 'auth0Fetch' | 'switchCredential'>;
  readonly config: Config;
  readonly control: RotationControl;
  readonly audit: AuditLog;
  readonly now: () => Date;
  readonly logger: Logger;
  readonly propagation: { attempts: number; delayMs: number };
}): {
  service: RotationService | undefined;
  starter: RotationStarter | undefined;
  /** When the bot's own client is a target: use the credential in Secrets Manager (AWSCURRENT). */
  adoptOwnCredential: (signal?: AbortSignal) => Promise<boolean>;
} => {
  const secrets = deps.secrets;
  if (!secrets)
    return { service: undefined, starter: undefined, adoptOwnCredential: () => Promise.resolve(false) };
  const own = deps.config.rotation.targets.find((t) => t.clientId === deps.config.auth0.clientId);
  const adoptOwnCredential = async (signal?: AbortSignal): Promise<boolean> => {
    if (!own) return false;
    const current = await secrets.get(own.secretId, 'AWSCURRENT', signal);
    if (!current) return false;
    await deps.watching.switchCredential(
      own.strategy === 'client_secret'
        ? { kind: 'client_secret', clientSecret: current.value }
        : { kind: 'private_key_jwt', privateKeyPem: current.value, source: 'AUTH0_PRIVATE_KEY' },
      signal,
    );
    return true;
  };
  const inner = createRotationService({
    rotations: new SqliteRotationStore(deps.store),
    secrets: deps.secrets,
    tenant: new Auth0RotationTenant({
      client: deps.watching.client,
      policy: deps.watching.policy,
      domain: deps.config.auth0.domain,
      baseUrl: deps.config.auth0.baseUrl,
      fetch: deps.watching.auth0Fetch,
    }),
    control: deps.control,
    audit: deps.audit,
    now: deps.now,
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
      deps.logger.info({ ...e, event: `rotation.${e.type}` }, 'rotation');
    },
  });
  // Rotating its own credential, the bot switches to the new one and proves it works (SPEC §8);
  // the machine has already verified it with a real exchange before promoting it.
  const service: RotationService = {
    rotate: async (target, request) => {
      const result = await inner.rotate(target, request);
      if (!result.ok || target.clientId !== own?.clientId) return result;
      try {
        await adoptOwnCredential(request.signal);
        return {
          ...result,
          summary: `${result.summary}; the bot switched to its new credential and it works`,
        };
      } catch (error) {
        deps.logger.error(
          { event: 'rotation.own_switch_failed', err: error },
          'the bot could not switch to its new credential',
        );
        return {
          ...result,
          summary: `${result.summary}; WARNING: the bot could not switch to its new credential — check /auth0 status`,
        };
      }
    },
    resumeUnfinished: (signal) => inner.resumeUnfinished(signal),
  };
  return { service, starter: createRotationStarter(service), adoptOwnCredential };
};

export interface RotationSurface {
  readonly register: (app: App) => void;
  readonly command: (
    user: string,
    clientId: string | undefined,
    triggerId: string,
  ) => Promise<CommandReply | undefined>;
  readonly status: StatusProvider;
  start(): void;
  stop(): Promise<void>;
}

/** Phase 2: schedule, `/auth0 rotate`, status, and an incident (with rollback as a step) on failure. */
export const composeRotationSurface = (deps: {
  readonly config: Config;
  readonly store: StoreDatabase;
  readonly logger: Logger;
  readonly now: () => Date;
  readonly service: RotationService | undefined;
  readonly incidents: Pick<Incidents, 'chat' | 'operators' | 'service'>;
  readonly control: RotationControl;
  readonly slackClient: webApi.WebClient;
  readonly audit: AuditLog;
  readonly registry: Registry;
}): RotationSurface => {
  const { config, store, logger, now } = deps;
  const targets = config.rotation.targets;
  const rotations = new SqliteRotationStore(store);
  const metrics = createRotationMetrics(deps.registry);
  const announcer = createRotationAnnouncer({
    chat: deps.incidents.chat,
    channel: config.slack.alertChannel,
    audit: deps.audit,
    now,
    onError: (err) => {
      logger.warn({ event: 'rotation.chat_failed', err }, 'a rotation message failed');
    },
  });
  const onResult = async (target: RotationTarget, result: RotationResult) => {
    metrics.result(result);
    const scope = `client:${target.clientId}/rotation`;
    if (result.ok) {
      await deps.incidents.service.apply([
        { kind: 'recover', signal: 'rotation_failed', scope, reason: 'a later rotation succeeded' },
      ]);
      return;
    }
    if ('reason' in result) return;
    const at = now().toISOString();
    await deps.incidents.service.apply([
      {
        kind: 'open',
        signal: 'rotation_failed',
        scope,
        severity: result.rolledBack ? 'medium' : 'high',
        title: `Rotation of ${target.clientId} failed${result.rolledBack ? ' and was rolled back' : ''}`,
        evidence: {
          window: { from: at, to: at, minutes: 0 },
          failures: 1,
          rate: 0,
          suspects: [
            {
              at,
              kind: 'own_rotation',
              who: 'auth0-oncall',
              what: `rotation of ${target.clientId}`,
              expected: true,
            },
          ],
          summary: result.summary,
        },
      },
    ]);
  };
  if (!deps.service || targets.length === 0) {
    const none: CommandReply = {
      response_type: 'ephemeral',
      text: 'No rotation targets are configured: set ROTATION_TARGETS (and AWS_REGION) to rotate credentials.',
      blocks: [],
    };
    return {
      register: () => undefined,
      command: () => Promise.resolve(none),
      status: rotationStatusProvider({
        targets: [],
        rotations,
        control: deps.control,
        nextRun: () => undefined,
        now,
      }),
      start: () => undefined,
      stop: () => Promise.resolve(),
    };
  }
  const schedule = createRotationSchedule({
    schedule: config.rotation.schedule,
    targets,
    service: deps.service,
    slots: new SqliteJobSlots(store),
    control: deps.control,
    audit: deps.audit,
    now,
    logger,
    onStart: (t) => announcer.started(t, 'schedule', 'system'),
    onResult: async (t, r) => {
      await announcer.finished(t, r, 'schedule', 'system');
      await onResult(t, r);
    },
    onOverlap: () => {
      metrics.rotation('skipped');
    },
  });
  const rotate = createRotateCommand({
    targets,
    service: deps.service,
    operators: deps.incidents.operators,
    rotations,
    logs: new SqliteLogStore(store),
    control: deps.control,
    nextRun: () => schedule.nextRun(),
    announcer,
    chat: deps.incidents.chat,
    channel: config.slack.alertChannel,
    audit: deps.audit,
    now,
    openModal: async (trigger_id, view) => {
      await deps.slackClient.views.open({ trigger_id, view });
    },
    onResult,
    onError: (err) => {
      logger.warn({ event: 'rotation.command_failed', err }, 'the rotate command failed');
    },
  });
  return {
    register: rotate.register,
    command: rotate.command,
    status: rotationStatusProvider({
      targets,
      rotations,
      control: deps.control,
      nextRun: () => schedule.nextRun(),
      now,
    }),
    start: () => {
      schedule.start();
    },
    stop: () => schedule.stop(),
  };
};
