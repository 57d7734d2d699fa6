import { webApi } from '@slack/bolt';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { createBackgroundTasks, type BackgroundTasks } from '../core/background/tasks.js';
import { createEventBus, type EventBus } from '../core/events/bus.js';
import type { DependencyName } from '../core/events/health-events.js';
import type { ActionCatalog } from '../core/actions/action.js';
import type { DetectionThresholds } from '../core/detection/index.js';
import { createMetrics, type AppMetrics } from '../metrics/app-metrics.js';
import { createBackgroundMetrics } from '../metrics/background-metrics.js';
import { createResilienceMetrics } from '../metrics/resilience-metrics.js';
import {
  createDependencyPolicy,
  defaultPolicyOptions,
  type DependencyPolicy,
  type PolicySettings,
  type ResilienceMetrics,
} from '../resilience/index.js';
import { createBoltLogger } from '../slack/bolt-logger.js';
import { createStores, type Stores } from './stores.js';

/** Test seams, all in one place; production passes none. */
interface AppOverrides {
  /** Tests that move time (quiet periods, reminders). */
  readonly now?: () => Date;
  /** Shorter breaker delays for the Auth0 policy. */
  readonly auth0Policy?: Partial<PolicySettings>;
  /** Smaller detection thresholds. */
  readonly thresholds?: Partial<DetectionThresholds>;
  readonly slackRetry?: { retries: number };
  /** Static AWS credentials; otherwise the SDK's standard credential chain. */
  readonly awsCredentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** How long Auth0 may keep the old secret after a change (rollback verification). */
  readonly propagation?: { attempts: number; delayMs: number };
  /** How soon a stuck rotation is retried (default 5 s, doubling up to 5 min). */
  readonly rotationResumeBackoff?: { readonly firstMs: number; readonly maxMs: number };
  /** Replaces the action catalog (e.g. with actions that count their runs). */
  readonly catalog?: ActionCatalog;
  /** Faster JWKS-hook retries (default 2 s doubling to 5 min, 8 attempts). */
  readonly hookBackoff?: {
    readonly baseDelayMs?: number;
    readonly maxDelayMs?: number;
    readonly maxAttempts?: number;
  };
  /** A faster heartbeat (default every minute). */
  readonly heartbeatEveryMs?: number;
}

export interface AppOptions {
  readonly config: Config;
  readonly logger: Logger;
  readonly version: string;
  readonly overrides?: AppOverrides;
}

/** The infrastructure every feature shares: stores, metrics, the event bus, background tasks, Slack's client. */
export interface Platform {
  readonly config: Config;
  readonly logger: Logger;
  readonly version: string;
  readonly overrides: AppOverrides;
  readonly now: () => Date;
  readonly startedAt: Date;
  readonly stores: Stores;
  readonly metrics: AppMetrics;
  readonly resilienceMetrics: ResilienceMetrics;
  readonly bus: EventBus;
  readonly tasks: BackgroundTasks;
  /** A WebClient with its own retries off; the Slack policy decides what is retried. */
  readonly slackClient: webApi.WebClient;
  readonly slackPolicy: DependencyPolicy;
  /** A policy for one dependency, observed like every other (logs, metrics, audit, breaker events). */
  policyFor(dependency: DependencyName, settings?: Partial<PolicySettings>): DependencyPolicy;
  /** `https://<workspace>.slack.com/`, known once Slack answered auth.test; links to cards use it. */
  readonly workspace: { url(): string | undefined; load(): Promise<void> };
}

export const createPlatform = (options: AppOptions): Platform => {
  const { config, logger, version } = options;
  const overrides = options.overrides ?? {};
  const now = overrides.now ?? (() => new Date());
  const stores = createStores(config.database.path);
  const metrics = createMetrics({ version });
  const background = createBackgroundMetrics(metrics.registry);
  const tasks = createBackgroundTasks({
    onError: (task, err) => {
      logger.error({ event: 'background.failed', task, err }, `background task ${task} failed`);
    },
    onSettled: (task, outcome) => {
      background.settled(task, outcome);
    },
  });
  const bus = createEventBus({
    onListenerError: (err, event) => {
      logger.error({ event: 'bus.listener_failed', type: event.type, err }, 'an event listener failed');
    },
    track: tasks.track,
  });
  const resilienceMetrics = createResilienceMetrics(metrics.registry);
  const policyFor = (dependency: DependencyName, settings: Partial<PolicySettings> = {}) =>
    createDependencyPolicy({
      ...defaultPolicyOptions[dependency],
      ...settings,
      dependency,
      events: bus,
      metrics: resilienceMetrics,
      logger,
      audit: stores.audit,
      now,
    });
  // Cards and thread lines go through their own client with the SDK's retries off: the Slack
  // policy decides what may be retried (chat.postMessage never is; a retry would post twice).
  const slackClient = new webApi.WebClient(config.slack.botToken, {
    slackApiUrl: config.slack.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 10_000,
    logger: createBoltLogger(logger),
  });
  let workspaceUrl: string | undefined;
  return {
    config,
    logger,
    version,
    overrides,
    now,
    startedAt: now(),
    stores,
    metrics,
    resilienceMetrics,
    bus,
    tasks,
    slackClient,
    slackPolicy: policyFor('slack'),
    policyFor,
    workspace: {
      url: () => workspaceUrl,
      async load() {
        workspaceUrl = await slackClient.auth
          .test()
          .then((r) => r.url)
          .catch(() => undefined);
      },
    },
  };
};
