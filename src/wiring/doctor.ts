import { webApi } from '@slack/bolt';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { createDoctor } from '../core/doctor/doctor.js';
import { createDoctorService, type DoctorService } from '../core/doctor/doctor-service.js';
import { formatReport } from '../core/doctor/format.js';
import { isBroken, type DoctorReport } from '../core/doctor/model.js';
import type { Auth0Probe, LogStreamProbe, ModelProbe, SecretProbe } from '../core/doctor/ports.js';
import type { OperatorDirectory } from '../core/incidents/ports.js';
import { createAuth0Fetch } from '../auth0/auth0-fetch.js';
import { Auth0DoctorProbe } from '../auth0/auth0-doctor-probe.js';
import { createManagementClient } from '../auth0/management-client.js';
import { createSecretsManagerClient } from '../aws/secrets-client.js';
import { secretsManagerSecretProbe } from '../aws/secrets-manager-secret-probe.js';
import { createAnthropicClient, createBedrockClient } from '../llm/llm-clients.js';
import { anthropicKeyProbe, bedrockModelProbe } from '../llm/model-probes.js';
import { SLACK_BOT_SCOPES } from '../slack/bot-scopes.js';
import { doctorReply } from '../slack/blocks/doctor-blocks.js';
import type { CommandReply } from '../slack/blocks/help-blocks.js';
import { createSlackDoctorProbe } from '../slack/slack-doctor-probe.js';
import type { Platform } from './platform.js';
import type { TenantWatching } from './tenant.js';

type AwsCredentials = { readonly accessKeyId: string; readonly secretAccessKey: string } | undefined;

const secretProbeFor = (config: Config, awsCredentials: AwsCredentials): SecretProbe | undefined =>
  config.rotation.targets.length > 0 && config.aws.region
    ? secretsManagerSecretProbe(
        createSecretsManagerClient({
          region: config.aws.region,
          ...(config.aws.secretsManagerEndpoint ? { endpoint: config.aws.secretsManagerEndpoint } : {}),
          ...(awsCredentials ? { credentials: awsCredentials } : {}),
        }),
      )
    : undefined;

interface DoctorParts {
  readonly config: Config;
  readonly auth0: Auth0Probe;
  readonly secrets: SecretProbe | undefined;
  readonly models: readonly ModelProbe[];
  readonly slackClient: webApi.WebClient;
  readonly logStream?: LogStreamProbe;
  readonly startedAt: Date;
  readonly now: () => Date;
}

const doctorOf = (p: DoctorParts) =>
  createDoctor({
    auth0: p.auth0,
    rotationTargets: p.config.rotation.targets,
    ...(p.secrets ? { secrets: p.secrets } : {}),
    models: p.models,
    slack: createSlackDoctorProbe(p.slackClient),
    alertChannel: p.config.slack.alertChannel,
    slackScopes: SLACK_BOT_SCOPES,
    ...(p.logStream ? { logStream: p.logStream } : {}),
    logStreamElsewhere: p.config.http.logStreamToken !== undefined && p.logStream === undefined,
    startedAt: p.startedAt,
    now: p.now,
  });

export interface Doctor extends DoctorService {
  /** `/auth0 doctor`'s reply. */
  readonly command: (user: string) => Promise<CommandReply>;
  /** The start-up check: findings go to the log; it never blocks or fails the start. */
  readonly startupCheck: () => void;
}

/** The doctor inside the running app: the bot's current Auth0 client and credential, the Log Stream receiver. */
export const wireDoctor = (
  platform: Platform,
  deps: {
    readonly watching: TenantWatching;
    readonly models: readonly ModelProbe[];
    readonly operators: Pick<OperatorDirectory, 'isOperator'>;
  },
): Doctor => {
  const { config, logger, now, stores } = platform;
  const doctor = doctorOf({
    config,
    auth0: new Auth0DoctorProbe({
      client: deps.watching.client,
      domain: config.auth0.domain,
      baseUrl: config.auth0.baseUrl,
      fetch: deps.watching.auth0Fetch,
      clientId: config.auth0.clientId,
      credential: deps.watching.credential,
    }),
    secrets: secretProbeFor(config, platform.overrides.awsCredentials),
    models: deps.models,
    slackClient: platform.slackClient,
    ...(config.http.logStreamToken ? { logStream: { lastPushAt: deps.watching.lastStreamPush } } : {}),
    startedAt: platform.startedAt,
    now,
  });
  const service = createDoctorService({ doctor, operators: deps.operators, audit: stores.audit, now });
  return {
    ...service,
    command: async (user) => {
      const run = await service.runFor(user);
      if (run.ok) return doctorReply(run.report);
      return { response_type: 'ephemeral', text: run.why, blocks: [] };
    },
    startupCheck: () => {
      platform.tasks.spawn('doctor.startup', async () => {
        logReport(logger, await service.check());
      });
    },
  };
};

const logReport = (logger: Logger, report: DoctorReport): void => {
  for (const f of report.findings) {
    const line = { event: 'doctor.finding', check: f.check, level: f.level, breaks: f.breaks, fix: f.fix };
    if (f.level === 'error') logger.error(line, `doctor: ${f.what}`);
    else if (f.level === 'warn') logger.warn(line, `doctor: ${f.what}`);
    else logger.info(line, `doctor: ${f.what}`);
  }
};

/**
 * `npm run doctor`: the same checks from the shell, with nothing started and no database opened
 * (a running instance holds it). Returns the text to print and whether something is broken.
 */
export const runShellDoctor = async (
  config: Config,
  options: { readonly awsCredentials?: AwsCredentials } = {},
): Promise<{ readonly text: string; readonly broken: boolean; readonly report: DoctorReport }> => {
  const auth0Fetch = createAuth0Fetch({ domain: config.auth0.domain, baseUrl: config.auth0.baseUrl });
  const client = createManagementClient({
    domain: config.auth0.domain,
    clientId: config.auth0.clientId,
    credential: config.auth0.credential,
    fetch: auth0Fetch,
    timeoutSeconds: 15,
  });
  const models: ModelProbe[] = [];
  if (config.llm.bedrockModelId && config.aws.region) {
    const bedrock = createBedrockClient({
      region: config.aws.region,
      ...(config.aws.bedrockRuntimeEndpoint ? { endpoint: config.aws.bedrockRuntimeEndpoint } : {}),
      ...(options.awsCredentials ? { credentials: options.awsCredentials } : {}),
    });
    models.push(bedrockModelProbe(bedrock, config.llm.bedrockModelId));
  }
  if (config.llm.anthropicApiKey) {
    const anthropic = createAnthropicClient({
      apiKey: config.llm.anthropicApiKey,
      ...(config.llm.anthropicBaseUrl ? { baseURL: config.llm.anthropicBaseUrl } : {}),
    });
    models.push(anthropicKeyProbe(anthropic, config.llm.anthropicModel));
  }
  const now = () => new Date();
  const doctor = doctorOf({
    config,
    auth0: new Auth0DoctorProbe({
      client,
      domain: config.auth0.domain,
      baseUrl: config.auth0.baseUrl,
      fetch: auth0Fetch,
      clientId: config.auth0.clientId,
      credential: () => config.auth0.credential,
    }),
    secrets: secretProbeFor(config, options.awsCredentials),
    models,
    slackClient: new webApi.WebClient(config.slack.botToken, {
      slackApiUrl: config.slack.apiUrl,
      retryConfig: { retries: 0 },
      timeout: 10_000,
      logLevel: webApi.LogLevel.ERROR,
    }),
    startedAt: now(),
    now,
  });
  const report = await doctor();
  return { text: formatReport(report), broken: isBroken(report), report };
};
