import { z } from 'zod';

/**
 * Auth0 Event Streams: CloudEvents 1.0 about lifecycle changes (users, organizations, groups,
 * connections). Delivery is at least once and unordered, so an event is known by its `id` and
 * placed in time by its `time`, never by when it arrived. Only what detection needs is kept: no
 * e-mail, name or other profile field is stored.
 */

/** Where an event came in: the webhook (`POST /auth0/event-stream`) or the EventBridge → SQS queue. */
export type EventVia = 'webhook' | 'sqs';

/** What detection distinguishes; everything else is stored as `other` (and counted, nothing more). */
export type TenantEventKind =
  'user_created' | 'user_blocked' | 'user_updated' | 'user_deleted' | 'organization_connection' | 'other';

export interface TenantEvent {
  readonly id: string;
  readonly type: string;
  readonly kind: TenantEventKind;
  /** ISO time the event happened (the CloudEvent `time`). */
  readonly time: string;
  readonly userId?: string;
  /** user.created: the connection of the user's first identity (the sign-up source). */
  readonly connection?: string;
  /** organization.connection.*: the organization and connection concerned. */
  readonly organizationId?: string;
  readonly organizationConnection?: string;
}

/** Identifiers kept from untrusted input: bounded and without control characters. */
const ident = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[^\p{Cc}]+$/u);

const cloudEventSchema = z.object({
  specversion: z.literal('1.0'),
  id: ident,
  type: z
    .string()
    .min(1)
    .max(128)
    .regex(/^[A-Za-z0-9._-]+$/),
  source: z.string().min(1).max(512),
  time: z.iso.datetime({ offset: true }),
  data: z.unknown().optional(),
});

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const identOf = (value: unknown): string | undefined => {
  const parsed = ident.safeParse(value);
  return parsed.success ? parsed.data : undefined;
};

const recordAt = (value: unknown, key: string): Record<string, unknown> | undefined => {
  if (!isRecord(value)) return undefined;
  const inner = value[key];
  return isRecord(inner) ? inner : undefined;
};

const firstIdentityConnection = (user: Record<string, unknown>): string | undefined => {
  const identities = user.identities;
  if (!Array.isArray(identities)) return undefined;
  const first: unknown = identities[0];
  return isRecord(first) ? identOf(first.connection) : undefined;
};

const kindOf = (type: string, object: Record<string, unknown> | undefined): TenantEventKind => {
  // Auth0 documents bare types (`user.created`); an early form prefixed them (`com.auth0.user.created`).
  const bare = type.replace(/^com\.auth0\./, '');
  if (bare === 'user.created') return 'user_created';
  if (bare === 'user.deleted') return 'user_deleted';
  if (bare === 'user.updated') return object?.blocked === true ? 'user_blocked' : 'user_updated';
  if (bare.startsWith('organization.connection.')) return 'organization_connection';
  return 'other';
};

export type ParsedEvent =
  | { readonly ok: true; readonly event: TenantEvent }
  | { readonly ok: false; readonly problem: string; readonly id?: string };

/** One CloudEvent (structured mode) → what is kept of it; a reason when it is not one. */
export const parseCloudEvent = (value: unknown): ParsedEvent => {
  const parsed = cloudEventSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') ?? '';
    const id = isRecord(value) ? identOf(value.id) : undefined;
    return {
      ok: false,
      problem: `${where === '' ? 'event' : where}: ${issue?.message ?? 'invalid'}`.slice(0, 200),
      ...(id === undefined ? {} : { id }),
    };
  }
  const e = parsed.data;
  const object = recordAt(e.data, 'object');
  const kind = kindOf(e.type, object);
  const userId = identOf(object?.user_id);
  const organization = recordAt(object, 'organization');
  const connection = recordAt(object, 'connection');
  const organizationId = identOf(organization?.id) ?? identOf(object?.organization_id);
  const organizationConnection =
    identOf(connection?.name) ?? identOf(connection?.connection_id) ?? identOf(object?.connection_id);
  const signupConnection = kind === 'user_created' && object ? firstIdentityConnection(object) : undefined;
  return {
    ok: true,
    event: {
      id: e.id,
      type: e.type,
      kind,
      time: new Date(e.time).toISOString(),
      ...(userId === undefined ? {} : { userId }),
      ...(signupConnection === undefined ? {} : { connection: signupConnection }),
      ...(kind === 'organization_connection' && organizationId !== undefined ? { organizationId } : {}),
      ...(kind === 'organization_connection' && organizationConnection !== undefined
        ? { organizationConnection }
        : {}),
    },
  };
};

/**
 * An SQS message body from the EventBridge route: the EventBridge envelope whose `detail` is the
 * CloudEvent; a bare CloudEvent (a queue fed some other way) is accepted too.
 */
export const unwrapEventBridge = (value: unknown): unknown => {
  if (!isRecord(value) || !('detail-type' in value)) return value;
  return value.detail;
};
