/**
 * Reading what an SDK error carries about the response: its status and the headers that say
 * when to come back (Retry-After, Auth0's x-ratelimit-reset, Anthropic's retry-after-ms).
 */

export type Fields = Readonly<Record<string, unknown>>;

export const isRecord = (value: unknown): value is Fields => typeof value === 'object' && value !== null;

export const stringField = (value: Fields, key: string): string | undefined => {
  const field = value[key];
  return typeof field === 'string' ? field : undefined;
};

const numberField = (value: Fields, key: string): number | undefined => {
  const field = value[key];
  return typeof field === 'number' && Number.isFinite(field) ? field : undefined;
};

/** From a fetch `Headers` or a plain record (Slack's HTTP errors, AWS `$response.headers`). */
export const readHeader = (headers: unknown, name: string): string | undefined => {
  if (!isRecord(headers)) return undefined;
  const get = headers.get;
  if (typeof get === 'function') {
    const value: unknown = get.call(headers, name);
    return typeof value === 'string' ? value : undefined;
  }
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted) continue;
    if (typeof value === 'string') return value;
    if (typeof value === 'number') return String(value);
    if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  }
  return undefined;
};

/** The response headers carried by an SDK error (or a Response-like value), if any. */
export const headersOf = (error: unknown): unknown => {
  if (!isRecord(error)) return undefined;
  for (const holder of [error.rawResponse, error.response, error.$response]) {
    if (isRecord(holder) && isRecord(holder.headers)) return holder.headers;
  }
  return isRecord(error.headers) ? error.headers : undefined;
};

export const statusOf = (error: unknown): number | undefined => {
  if (!isRecord(error)) return undefined;
  const metadata = error.$metadata;
  const status =
    numberField(error, 'statusCode') ??
    numberField(error, 'status') ??
    (isRecord(metadata) ? numberField(metadata, 'httpStatusCode') : undefined);
  return status !== undefined && status >= 100 && status <= 599 ? status : undefined;
};

const NUMERIC = /^\s*\d+(\.\d+)?\s*$/;

/** `Retry-After`: delay-seconds or an HTTP-date. */
export const parseRetryAfter = (value: string | undefined, now: Date): number | undefined => {
  if (value === undefined || value.trim() === '') return undefined;
  if (NUMERIC.test(value)) return Math.ceil(Number(value) * 1000);
  // Date.parse accepts almost anything ("-3" is a year); an HTTP-date has a month name and digits.
  if (!/[A-Za-z]{3}/.test(value) || !/\d/.test(value)) return undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
};

/** `x-ratelimit-reset`: Unix seconds, turned into milliseconds from `now`. */
export const parseResetSeconds = (value: string | undefined, now: Date): number | undefined => {
  if (value === undefined || !NUMERIC.test(value)) return undefined;
  return Math.max(0, Math.ceil(Number(value) * 1000 - now.getTime()));
};

/** The longest of every wait the server asked for: waiting less only earns another 429. */
export const retryAfterMsOf = (error: unknown, now: Date): number | undefined => {
  if (!isRecord(error)) return undefined;
  const headers = headersOf(error);
  const ms = readHeader(headers, 'retry-after-ms');
  const slackSeconds = numberField(error, 'retryAfter');
  const waits = [
    ms !== undefined && NUMERIC.test(ms) ? Math.ceil(Number(ms)) : undefined,
    parseRetryAfter(readHeader(headers, 'retry-after'), now),
    statusOf(error) === 429 ? parseResetSeconds(readHeader(headers, 'x-ratelimit-reset'), now) : undefined,
    slackSeconds === undefined ? undefined : Math.ceil(slackSeconds * 1000),
  ].filter((wait): wait is number => wait !== undefined && wait >= 0);
  return waits.length === 0 ? undefined : Math.max(...waits);
};
