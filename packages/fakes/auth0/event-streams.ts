/**
 * Auth0 Event Streams as Auth0 sends them: CloudEvents 1.0 in structured mode (one object, or a
 * JSON array for a batch), and the Amazon EventBridge envelope the partner event source wraps
 * each one in before a rule delivers it to SQS.
 */
import { randomBytes } from 'node:crypto';

export interface CloudEvent {
  readonly specversion: '1.0';
  readonly type: string;
  readonly source: string;
  readonly id: string;
  readonly time: string;
  readonly data: { readonly object: Record<string, unknown> };
  readonly a0tenant: string;
  readonly a0stream: string;
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
/** `evt_` / `est_` followed by 22 alphanumerics, as Auth0 formats them. */
const auth0Id = (prefix: string): string =>
  `${prefix}_${[...randomBytes(22)].map((b) => ALPHABET[b % ALPHABET.length] ?? 'a').join('')}`;

export interface CloudEventOptions {
  readonly tenant?: string;
  readonly domain?: string;
  readonly stream?: string;
  readonly id?: string;
  readonly time?: Date;
}

export const cloudEvent = (
  type: string,
  object: Record<string, unknown>,
  options: CloudEventOptions = {},
): CloudEvent => ({
  specversion: '1.0',
  type,
  source: `urn:auth0:${options.domain ?? 'acme.eu.auth0.com'}`,
  id: options.id ?? auth0Id('evt'),
  time: (options.time ?? new Date()).toISOString(),
  data: { object },
  a0tenant: options.tenant ?? 'acme',
  a0stream: options.stream ?? 'est_0123456789abcdefABCDEF',
});

/** A user as user.created / user.updated / user.deleted carry it (profile fields trimmed). */
export const userObject = (
  userId: string,
  options: { connection?: string; blocked?: boolean; email?: string } = {},
): Record<string, unknown> => {
  const connection = options.connection ?? 'Username-Password-Authentication';
  return {
    user_id: userId,
    email: options.email ?? `${userId.replace(/\W/g, '')}@example.com`,
    ...(options.blocked === undefined ? {} : { blocked: options.blocked }),
    identities: [{ connection, provider: 'auth0', user_id: userId.split('|')[1] ?? userId, isSocial: false }],
    created_at: new Date().toISOString(),
  };
};

/** organization.connection.added / removed / updated. */
export const organizationConnectionObject = (
  organizationId: string,
  connection: { id: string; name: string },
): Record<string, unknown> => ({
  organization: { id: organizationId, name: organizationId.replace(/^org_/, '') },
  connection: { connection_id: connection.id, name: connection.name },
  assign_membership_on_login: false,
});

/** The EventBridge envelope around one event, as the SQS message body carries it. */
export const eventBridgeEnvelope = (
  event: CloudEvent,
  options: { region?: string; account?: string } = {},
) => ({
  version: '0',
  id: auth0Id('eb'),
  'detail-type': event.type,
  source: `aws.partner/auth0.com/${event.a0tenant}-${event.a0stream}/auth0.logs`,
  account: options.account ?? '000000000000',
  time: event.time,
  region: options.region ?? 'us-east-1',
  resources: [],
  detail: event,
});
