/**
 * The reason kept with an outage event: what failed and how, read from the fields Auth0's log
 * schemas give each code, so a card's top reasons name the Action, the delivery channel, the
 * origin or the deprecated feature. Bounded like every stored reason; undefined for other signals.
 */

const MAX = 200;
/** A feature name is also a scope: kept short. */
const FEATURE_MAX = 100;

/** The fields of a parsed entry the reasons read (structural: classification.ts calls in). */
interface OutageEntry {
  readonly type: string;
  readonly description: string | null;
  readonly connection: string | null;
  readonly details: unknown;
}

const field = (value: unknown, key: string): unknown =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;

/** The first non-empty string at one of the paths (`a.b`), or null. */
const text = (details: unknown, ...paths: string[]): string | null => {
  for (const path of paths) {
    const value = path.split('.').reduce<unknown>(field, details);
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
  }
  return null;
};

const joined = (subject: string, detail: string | null): string =>
  (detail === null ? subject : `${subject} — ${detail}`).slice(0, MAX);

const HOOKS: Readonly<Record<string, string>> = {
  fcph: 'Post Change Password hook',
  fpurh: 'Post User Registration hook',
};

const actionReason = (entry: OutageEntry): string | null => {
  const d = entry.details;
  if (entry.type === 'actions_execution_failed') {
    const name = text(d, 'action_name');
    const kind = text(d, 'error_class', 'action_error.name');
    const message = text(d, 'action_error.message', 'error.message', 'error');
    const detail = [kind, message].filter((v) => v !== null).join(': ') || entry.description;
    return name === null ? detail : joined(`Action ${name}`, detail);
  }
  if (entry.type === 'flows_execution_failed') {
    return joined(`Flow ${text(d, 'flow_id') ?? ''}`.trim(), text(d, 'error.message', 'error.code'));
  }
  const hook = HOOKS[entry.type];
  if (hook !== undefined) return joined(hook, entry.description);
  return text(d, 'error', 'error.message', 'error_class') ?? entry.description;
};

const CHANNELS: Readonly<Record<string, string>> = {
  fv: 'verification email',
  gd_send_sms_failure: 'MFA SMS',
  gd_send_voice_failure: 'MFA voice call',
  gd_send_pn_failure: 'MFA push notification',
};

/** `email`, `MFA SMS`, … : the channel a notification failure is about. */
const channelOf = (type: string, details: unknown): string => {
  const known = CHANNELS[type];
  if (known !== undefined) return known;
  const kind = text(details, 'notification_type');
  return kind === null || kind === 'email' ? 'email' : kind;
};

const notificationReason = (entry: OutageEntry): string =>
  joined(
    channelOf(entry.type, entry.details),
    text(entry.details, 'error', 'provider_error.message', 'failure_details.message', 'error.message') ??
      entry.description,
  );

/** The deprecated feature a `depnote` is about (its name, else its id), bounded; null without one. */
export const deprecatedFeature = (details: unknown): string | null =>
  text(details, 'feature.name', 'feature.id')?.slice(0, FEATURE_MAX) ?? null;

export const outageReason = (signal: string, entry: OutageEntry): string | null | undefined => {
  const d = entry.details;
  switch (signal) {
    case 'connector_failure':
    case 'connection_offline':
    case 'connection_online':
      return (text(d, 'error', 'error.message', 'details') ?? entry.description)?.slice(0, MAX) ?? null;
    case 'actions_failure':
      return actionReason(entry)?.slice(0, MAX) ?? null;
    case 'notification_failure':
      return notificationReason(entry);
    case 'cors_failure': {
      const origin = text(d, 'origin', 'originUrl');
      return origin === null ? entry.description : `origin ${origin}`.slice(0, MAX);
    }
    case 'deprecation_notice':
      return deprecatedFeature(d) ?? entry.description?.slice(0, MAX) ?? null;
    case 'platform_failure': {
      if (entry.type === 'directory_sync_failed') {
        const where = entry.connection === null ? 'Directory sync' : `Directory sync of ${entry.connection}`;
        return joined(where, text(d, 'error.message') ?? entry.description);
      }
      return joined('KMS key operation', text(d, 'error', 'error.message') ?? entry.description);
    }
    default:
      return undefined;
  }
};
