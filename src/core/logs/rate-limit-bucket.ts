/**
 * Which Auth0 rate-limit bucket an `api_limit` or `api_limit_warning` is about, from
 * `details.limit.{bucket,global}` and `details.request.{method,path}` (or the path quoted in the
 * description). Each bucket is a different problem: docs/detections.md (Attribution).
 */

/** The fields of a log entry this reads (a `TenantLogEntry` fits). */
interface LimitEntry {
  readonly description: string | null;
  readonly ip: string | null;
  readonly details: unknown;
}

const detailFields = (value: unknown): Readonly<Record<string, unknown>> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;

interface LimitBucket {
  /** `/oauth/token`, from `details.request.path` or the description ("…calls to '/oauth/token'"). */
  readonly path: string | null;
  readonly method: string | null;
  /** `details.limit.global`: false is a per-IP / per-endpoint bucket. */
  readonly global: boolean | null;
  readonly bucket: string | null;
}

const limitOf = (entry: LimitEntry): LimitBucket => {
  const details = detailFields(entry.details);
  const limit = detailFields(details?.limit);
  const request = detailFields(details?.request);
  const quoted = /'(\/[^']{0,200})'/.exec(entry.description ?? '')?.[1];
  const path = typeof request?.path === 'string' && request.path !== '' ? request.path : (quoted ?? null);
  return {
    path: path === null ? null : (path.split('?')[0] ?? path).slice(0, 200),
    method: typeof request?.method === 'string' ? request.method.toUpperCase().slice(0, 10) : null,
    global: typeof limit?.global === 'boolean' ? limit.global : null,
    bucket: typeof limit?.bucket === 'string' ? limit.bucket.slice(0, 80) : null,
  };
};

/**
 * Which limit an `api_limit` is about: `api:management` (Management API paths or buckets),
 * `ip:<addr>` (an Authentication API per-IP bucket: `global` false), `api:authentication` (its
 * tenant-wide bucket), else `tenant` when the entry says neither.
 */
export const limitScope = (entry: LimitEntry): string => {
  const l = limitOf(entry);
  if (l.path?.startsWith('/api/v2') || (l.path === null && /management/i.test(l.bucket ?? ''))) {
    return 'api:management';
  }
  if (l.global === false && entry.ip) return `ip:${entry.ip}`;
  return l.path !== null || l.global !== null ? 'api:authentication' : 'tenant';
};

/** `POST /oauth/token (per-IP limit)`: the request and the kind of bucket it hit. */
export const limitReason = (entry: LimitEntry): string | null => {
  const l = limitOf(entry);
  if (l.path === null) return entry.description;
  const kind = l.global === true ? ' (global limit)' : l.global === false ? ' (per-IP limit)' : '';
  return `${l.method ? `${l.method} ` : ''}${l.path}${kind}`;
};
