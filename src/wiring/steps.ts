import type { ActionCatalog } from '../core/actions/action.js';
import { createActionCatalog } from '../core/actions/catalog.js';
import { createAuditReader } from '../core/audit/reader.js';
import type { JwksHookResender } from '../core/jwks-hooks/resend.js';
import type { RotationStarter } from '../core/rotation/ports.js';
import type { SecretStore } from '../core/secrets/ports.js';
import { createStepRunner, type StepRunner } from '../core/steps/step-runner.js';
import { abortableSleep } from '../jobs/sleep.js';
import { createStepMetrics } from '../metrics/step-metrics.js';
import { auditReply } from '../slack/blocks/audit-blocks.js';
import type { CommandReply } from '../slack/blocks/help-blocks.js';
import { slackStepRenderer } from '../slack/blocks/step-blocks.js';
import { createAfterAck } from '../slack/after-ack.js';
import { registerStepListeners } from '../slack/step-listeners.js';
import type { Incidents } from './incidents.js';
import type { Platform } from './platform.js';
import type { TenantWatching } from './tenant.js';
import type { Listeners } from '../slack/listener-table.js';

export interface Steps {
  readonly catalog: ActionCatalog;
  readonly runner: StepRunner;
  readonly register: (app: Listeners) => void;
  readonly auditReply: (user: string, limit: number) => Promise<CommandReply>;
}

/** The action catalog and the step runner: one click, one run, audited; plus `/auth0 audit`. */
export const wireSteps = (
  platform: Platform,
  deps: {
    readonly watching: Pick<TenantWatching, 'admin' | 'tenant'>;
    readonly incidents: Pick<Incidents, 'service' | 'chat' | 'outbox' | 'operators' | 'evaluation'>;
    readonly secrets: SecretStore | undefined;
    readonly rotation: RotationStarter | undefined;
    readonly propagation: { attempts: number; delayMs: number };
    readonly jwksHooks: JwksHookResender | undefined;
  },
): Steps => {
  const { config, logger, now, stores } = platform;
  const catalog =
    platform.overrides.catalog ??
    createActionCatalog({
      targets: config.rotation.targets,
      secrets: deps.secrets,
      admin: deps.watching.admin,
      keys: deps.watching.tenant,
      rotation: deps.rotation,
      rotationControl: stores.rotationControl,
      propagation: deps.propagation,
      sleep: abortableSleep,
      rechecker: { recheck: deps.incidents.evaluation.recheck },
      ...(deps.jwksHooks ? { jwksHooks: deps.jwksHooks } : {}),
    });
  const runner = createStepRunner({
    incidents: stores.incidents,
    claims: stores.claims,
    audit: stores.audit,
    catalog,
    operators: deps.incidents.operators,
    service: deps.incidents.service,
    outbox: deps.incidents.outbox,
    unitOfWork: stores.db,
    render: slackStepRenderer,
    now,
    metrics: createStepMetrics(platform.metrics.registry),
    inflight: platform.tasks,
    onError: (what, err) => {
      logger.warn({ event: 'steps.failed', what, err }, `step ${what} failed`);
    },
  });
  const readAudit = createAuditReader({ audit: stores.audit, operators: deps.incidents.operators });
  return {
    catalog,
    runner,
    register: (app) => {
      registerStepListeners(app, {
        runner,
        chat: deps.incidents.chat,
        channel: config.slack.alertChannel,
        afterAck: createAfterAck(platform.tasks.spawn),
        onError: (err) => {
          logger.warn({ event: 'steps.ephemeral_failed', err }, 'could not explain a step click');
        },
      });
    },
    auditReply: async (user, limit) => auditReply(await readAudit(user, limit)),
  };
};
