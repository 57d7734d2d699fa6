import type { RotationTarget } from '../rotation/target.js';
import {
  clockFinding,
  enabledFeatures,
  logStreamFinding,
  membershipFinding,
  scopeFindings,
  secretValueFinding,
  slackScopeFindings,
} from './checks.js';
import type { DoctorReport, Finding } from './model.js';
import type { Auth0Probe, LogStreamProbe, ModelCheck, ModelProbe, SecretProbe, SlackProbe } from './ports.js';

export interface DoctorDeps {
  readonly auth0: Auth0Probe;
  readonly rotationTargets: readonly RotationTarget[];
  /** Absent when no rotation target is configured (no Secrets Manager client exists). */
  readonly secrets?: SecretProbe;
  readonly models: readonly ModelProbe[];
  readonly slack: SlackProbe;
  readonly alertChannel: string;
  /** The bot scopes manifest.json asks for. */
  readonly slackScopes: readonly string[];
  /** Present when LOG_STREAM_TOKEN is set and the receiver runs in this process. */
  readonly logStream?: LogStreamProbe;
  /** Log Stream configured, but checked elsewhere (the shell doctor has no receiver). */
  readonly logStreamElsewhere?: boolean;
  readonly startedAt: Date;
  readonly now: () => Date;
  /** How long a model check's answer is reused: each costs a (tiny) model call. Default 1 h. */
  readonly modelCacheMs?: number;
}

const messageOf = (err: unknown): string =>
  (err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ').slice(0, 200);

/** A check that throws becomes a finding: the doctor always answers, whatever is broken. */
const guarded = async (check: string, fn: () => Promise<Finding[]>): Promise<Finding[]> => {
  try {
    return await fn();
  } catch (err) {
    return [{ check, level: 'error', what: `Could not check: ${messageOf(err)}` }];
  }
};

/**
 * The setup doctor: verifies, feature by feature, that what the configuration enables can work
 * (docs/decisions/0009-one-scope-table.md). Every check runs, in parallel; none can stop another.
 */
export const createDoctor = (deps: DoctorDeps): ((signal?: AbortSignal) => Promise<DoctorReport>) => {
  const modelCacheMs = deps.modelCacheMs ?? 60 * 60_000;
  const modelCache = new Map<string, { at: number; result: ModelCheck }>();

  const auth0 = async (signal?: AbortSignal): Promise<Finding[]> => {
    let grant;
    try {
      grant = await deps.auth0.grant(signal);
    } catch (err) {
      return [
        {
          check: 'Auth0 token',
          level: 'error',
          what: `Auth0 refused the bot's token request: ${messageOf(err)}`,
          breaks: 'everything that reads or writes the tenant',
          fix: 'Check AUTH0_DOMAIN, AUTH0_CLIENT_ID and the secret or key against Auth0 dashboard → Applications → Applications → the bot’s application → Settings, and that it is authorized for the Auth0 Management API',
        },
      ];
    }
    return [
      ...scopeFindings(grant.scopes, enabledFeatures(deps.rotationTargets)),
      clockFinding(grant.serverDate, deps.now()),
    ];
  };

  const target = async (t: RotationTarget, signal?: AbortSignal): Promise<Finding[]> => {
    const check = `Rotation target ${t.clientId}`;
    const [exists, value] = await Promise.all([
      guarded(check, async () =>
        (await deps.auth0.clientExists(t.clientId, signal))
          ? []
          : [
              {
                check,
                level: 'error',
                what: `No client ${t.clientId} in the Auth0 tenant`,
                breaks: `${t.clientId} cannot be rotated`,
                fix: 'Fix ROTATION_TARGETS: Auth0 dashboard → Applications → Applications → the application → Settings → Client ID',
              },
            ],
      ),
      guarded(check, async () => {
        if (!deps.secrets) {
          return [{ check, level: 'error', what: 'No Secrets Manager client: AWS_REGION is not set' }];
        }
        return [secretValueFinding(t, await deps.secrets.current(t.secretId, signal))];
      }),
    ]);
    return [...exists, ...value.filter((f) => f.level !== 'ok' || exists.length === 0)];
  };

  const model = async (probe: ModelProbe, signal?: AbortSignal): Promise<Finding> => {
    const at = deps.now().getTime();
    const cached = modelCache.get(probe.name);
    let result: ModelCheck;
    if (cached && at - cached.at < modelCacheMs) result = cached.result;
    else {
      result = await probe.check(signal).catch((err: unknown) => ({ ok: false, reason: messageOf(err) }));
      modelCache.set(probe.name, { at, result });
    }
    if (result.ok) return { check: probe.name, level: 'ok', what: 'Answered a one-token request' };
    return {
      check: probe.name,
      level: 'warn',
      what: `Failed: ${result.reason}`,
      breaks: 'runbooks and thread answers fall back to the next model, or to the built-in runbooks',
      fix: probe.fix,
    };
  };

  const slack = async (): Promise<Finding[]> => {
    const [scopes, membership] = await Promise.all([
      deps.slack.grantedScopes(),
      deps.slack.membership(deps.alertChannel),
    ]);
    return [slackScopeFindings(scopes, deps.slackScopes), membershipFinding(deps.alertChannel, membership)];
  };

  const logStream = (): Finding[] => {
    if (deps.logStream) return [logStreamFinding(deps.logStream.lastPushAt(), deps.startedAt, deps.now())];
    if (deps.logStreamElsewhere)
      return [
        {
          check: 'Log Stream',
          level: 'info',
          what: 'Delivery is checked by the running app (`/auth0 doctor`)',
        },
      ];
    return [];
  };

  return async (signal) => {
    const parts = await Promise.all([
      guarded('Auth0 token', () => auth0(signal)),
      ...deps.rotationTargets.map((t) => target(t, signal)),
      ...deps.models.map((p) => guarded(p.name, async () => [await model(p, signal)])),
      guarded('Slack', slack),
    ]);
    const noModel: Finding[] =
      deps.models.length === 0
        ? [
            {
              check: 'Models',
              level: 'info',
              what: 'No model configured: runbooks come from the built-in writer',
            },
          ]
        : [];
    return { at: deps.now(), findings: [...parts.flat(), ...noModel, ...logStream()] };
  };
};
