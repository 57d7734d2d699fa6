/** Pure rules: what the doctor concludes from what the systems answered. */
import type { RotationTarget } from '../rotation/target.js';
import type { Finding } from './model.js';
import type { ChannelMembership } from './ports.js';
import { SCOPE_TABLE, scopesFor, type FeatureId } from './scopes.js';

const AUTH0_GRANT_PATH =
  'Auth0 dashboard → Applications → APIs → Auth0 Management API → Machine To Machine Applications → expand the bot’s application';

/** Runbook actions an operator may click: without their scopes only that button fails. */
const OPTIONAL: ReadonlySet<FeatureId> = new Set([
  'rollback_client_secret',
  'revoke_signing_key',
  'unblock_ip',
]);

/** The features this configuration turns on. */
export const enabledFeatures = (targets: readonly RotationTarget[]): FeatureId[] => {
  const strategies = new Set(targets.map((t) => t.strategy));
  return [
    'log_polling',
    'signing_key_watch',
    'certificate_watch',
    'credential_watch',
    'revoke_signing_key',
    'unblock_ip',
    ...(strategies.has('client_secret')
      ? (['rotation_client_secret', 'rollback_client_secret'] as const)
      : []),
    ...(strategies.has('private_key_jwt') ? (['rotation_private_key_jwt'] as const) : []),
  ];
};

export const scopeFindings = (granted: readonly string[], enabled: readonly FeatureId[]): Finding[] => {
  const have = new Set(granted);
  const findings: Finding[] = [];
  for (const feature of SCOPE_TABLE) {
    if (!enabled.includes(feature.feature)) continue;
    const missing = scopesFor(feature).filter((s) => !have.has(s));
    if (missing.length === 0) continue;
    findings.push({
      check: 'Auth0 scopes',
      level: OPTIONAL.has(feature.feature) ? 'warn' : 'error',
      what: `The bot's Auth0 token lacks ${missing.map((s) => `\`${s}\``).join(', ')}, needed by ${feature.name}`,
      breaks: feature.breaks,
      fix: `${AUTH0_GRANT_PATH}, tick ${missing.join(', ')} and press Update`,
    });
  }
  if (findings.length === 0) {
    findings.push({
      check: 'Auth0 scopes',
      level: 'ok',
      what: `The token has every scope the enabled features need (${granted.length} granted)`,
    });
  }
  return findings;
};

const CLOCK_WARN_MS = 10_000;
const CLOCK_ERROR_MS = 60_000;

export const clockFinding = (serverDate: Date | undefined, local: Date): Finding => {
  if (serverDate === undefined)
    return { check: 'Clock', level: 'info', what: 'Auth0 sent no Date header: clock skew not checked' };
  const skewMs = local.getTime() - serverDate.getTime();
  const seconds = Math.round(skewMs / 1000);
  // The Date header has a resolution of one second, and the reply took some time to arrive.
  if (Math.abs(skewMs) < CLOCK_WARN_MS)
    return {
      check: 'Clock',
      level: 'ok',
      what: `This host's clock is within ${Math.abs(seconds)} s of Auth0's`,
    };
  return {
    check: 'Clock',
    level: Math.abs(skewMs) >= CLOCK_ERROR_MS ? 'error' : 'warn',
    what: `This host's clock is ${Math.abs(seconds)} s ${skewMs > 0 ? 'ahead of' : 'behind'} Auth0's`,
    breaks:
      'private_key_jwt assertions are refused when their times are off, and detection windows and expiry warnings shift',
    fix: 'Synchronise the clock with NTP (e.g. `timedatectl set-ntp true`, or chrony on the host)',
  };
};

export type SecretShape = 'bare' | 'json' | 'pem' | 'empty' | 'unsupported';

/** What a Secrets Manager value looks like, without ever returning any of it. */
export const secretShape = (value: string, clientId: string): { shape: SecretShape; problem?: string } => {
  const trimmed = value.trim();
  if (trimmed === '') return { shape: 'empty' };
  if (trimmed.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (typeof parsed !== 'object' || parsed === null) return { shape: 'unsupported' };
      const record = parsed as Record<string, unknown>;
      const secret = record.client_secret;
      if (typeof secret !== 'string' || secret === '')
        return { shape: 'unsupported', problem: 'a JSON value needs a non-empty "client_secret" key' };
      if (record.client_id !== undefined && record.client_id !== clientId)
        return { shape: 'unsupported', problem: `its "client_id" is not ${clientId}` };
      return { shape: 'json' };
    } catch {
      return { shape: 'unsupported', problem: 'it starts with "{" but is not valid JSON' };
    }
  }
  if (trimmed.includes('-----BEGIN')) return { shape: 'pem' };
  return /\s/.test(trimmed) ? { shape: 'unsupported', problem: 'it contains whitespace' } : { shape: 'bare' };
};

export const secretValueFinding = (target: RotationTarget, value: string | undefined): Finding => {
  const check = `Rotation target ${target.clientId}`;
  const putValue = `aws secretsmanager put-secret-value --secret-id ${target.secretId} --secret-string <the value>`;
  if (value === undefined) {
    return {
      check,
      level: 'error',
      what: `Secret \`${target.secretId}\` has no AWSCURRENT value`,
      breaks: `${target.clientId} cannot be rotated or rolled back`,
      fix: putValue,
    };
  }
  const { shape, problem } = secretShape(value, target.clientId);
  const wanted =
    target.strategy === 'client_secret'
      ? shape === 'bare' || shape === 'json'
      : shape === 'pem' && value.includes('-----BEGIN PRIVATE KEY-----');
  if (wanted) return { check, level: 'ok', what: `\`${target.secretId}\` holds a ${shape} value` };
  const expected =
    target.strategy === 'client_secret'
      ? 'the bare client secret, or JSON {"client_id": "…", "client_secret": "…"}'
      : 'a PKCS#8 PEM private key (BEGIN PRIVATE KEY)';
  return {
    check,
    level: 'error',
    what: `\`${target.secretId}\` does not hold a supported value${problem ? ` (${problem})` : ` (found: ${shape})`}`,
    breaks: `rotation of ${target.clientId} fails before it changes anything`,
    fix: `Store ${expected}: ${putValue}`,
  };
};

export const slackScopeFindings = (
  granted: readonly string[] | undefined,
  required: readonly string[],
): Finding => {
  if (granted === undefined) {
    return {
      check: 'Slack scopes',
      level: 'warn',
      what: 'Slack did not report the bot token’s scopes (no x-oauth-scopes header)',
    };
  }
  const missing = required.filter((s) => !granted.includes(s));
  if (missing.length === 0)
    return { check: 'Slack scopes', level: 'ok', what: 'The bot token has every scope in manifest.json' };
  return {
    check: 'Slack scopes',
    level: 'error',
    what: `The bot token lacks ${missing.map((s) => `\`${s}\``).join(', ')}`,
    breaks: 'the Slack calls that need them fail with missing_scope',
    fix: 'api.slack.com/apps → the app → App Manifest: paste manifest.json, save, then Install App → Reinstall to Workspace',
  };
};

export const membershipFinding = (channel: string, membership: ChannelMembership): Finding => {
  switch (membership) {
    case 'member':
      return { check: 'Alert channel', level: 'ok', what: `The bot is a member of ${channel}` };
    case 'not_member':
      return {
        check: 'Alert channel',
        level: 'error',
        what: `The bot is not a member of the alert channel ${channel}`,
        breaks: 'incident cards cannot be posted',
        fix: `In ${channel}, type \`/invite @auth0-oncall\``,
      };
    case 'not_found':
      return {
        check: 'Alert channel',
        level: 'error',
        what: `Slack knows no channel ${channel} the bot can see`,
        breaks: 'incident cards cannot be posted',
        fix: 'Set SLACK_ALERT_CHANNEL to the channel ID (channel details → bottom of the About tab), then invite the bot',
      };
  }
};

/** Auth0 pushes only when there are logs, so silence is a warning, never an error. */
const STREAM_SILENCE_MS = 15 * 60_000;

export const logStreamFinding = (lastPush: Date | undefined, startedAt: Date, now: Date): Finding => {
  const check = 'Log Stream';
  const fix =
    'Auth0 dashboard → Monitoring → Streams → the custom webhook: check its health tab, the payload URL `https://<your host>/auth0/log-stream` and the Authorization token `Bearer <LOG_STREAM_TOKEN>`';
  if (lastPush === undefined) {
    if (now.getTime() - startedAt.getTime() < STREAM_SILENCE_MS)
      return { check, level: 'info', what: 'LOG_STREAM_TOKEN is set; no push has arrived since start yet' };
    return {
      check,
      level: 'warn',
      what: 'LOG_STREAM_TOKEN is set, but no push has arrived since start',
      breaks: 'detection falls back to polling, up to LOG_POLL_INTERVAL_SECONDS late',
      fix,
    };
  }
  const ageMs = now.getTime() - lastPush.getTime();
  const minutes = Math.floor(ageMs / 60_000);
  if (ageMs < STREAM_SILENCE_MS)
    return {
      check,
      level: 'ok',
      what: `Last push ${minutes === 0 ? 'under a minute' : `${minutes} min`} ago`,
    };
  return {
    check,
    level: 'warn',
    what: `No push for ${minutes} min`,
    breaks: 'detection falls back to polling, up to LOG_POLL_INTERVAL_SECONDS late',
    fix,
  };
};
