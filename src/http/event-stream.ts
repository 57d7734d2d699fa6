import type { EventIngestResult } from '../core/event-streams/ingest.js';
import type { Logger } from '../logger.js';
import { BodyTooLarge, digest, matchesOne, readBody } from './request-body.js';
import { sendJson, type Route } from './server.js';

const EVENT_STREAM_PATH = '/auth0/event-stream';
/** Lifecycle events are a few KiB each; a batch far larger than this is not from Auth0. */
const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
/**
 * Auth0 waits 10 s for an answer. A body still arriving after this is answered 503 (Auth0 retries
 * a 5xx; a 4xx would drop the event), leaving time for the reply.
 */
const DEFAULT_BODY_DEADLINE_MS = 8_000;

type Outcome = 'accepted' | 'unauthorized' | 'too_large' | 'bad_request' | 'timeout';

export interface EventStreamRouteOptions {
  /** The `Authorization` values the stream may send: `Bearer <token>` and/or `Basic <base64>`. */
  readonly authorizations: readonly string[];
  /** Commits the events (by id, once) and returns only after the commit. */
  readonly ingest: (values: readonly unknown[]) => EventIngestResult;
  readonly logger: Logger;
  readonly maxBodyBytes?: number;
  readonly bodyDeadlineMs?: number;
  readonly onRequest?: (outcome: Outcome) => void;
}

class BodyTimeout extends Error {}

const withDeadline = async <T>(work: Promise<T>, ms: number): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      reject(new BodyTimeout());
    }, ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
};

/**
 * Structured-mode CloudEvents: one event (`application/cloudevents+json` or JSON) or a batch
 * (`application/cloudevents-batch+json`, a JSON array). Items are validated one by one at ingest;
 * here only the shape of the body.
 */
const parseEventStreamBody = (
  body: string,
): { ok: true; values: unknown[] } | { ok: false; problem: string } => {
  let value: unknown;
  try {
    value = JSON.parse(body) as unknown;
  } catch {
    return { ok: false, problem: 'body is not JSON' };
  }
  if (Array.isArray(value)) return { ok: true, values: value as unknown[] };
  if (typeof value === 'object' && value !== null) return { ok: true, values: [value] };
  return { ok: false, problem: 'body is neither a CloudEvent object nor a batch (array) of them' };
};

/**
 * POST /auth0/event-stream. Authorization is checked (constant time) before a byte of the body is
 * read; the reply is 2xx only after the commit, so a crash before it makes Auth0 deliver again,
 * and the event id makes the redelivery a duplicate. Unusable items in a batch are recorded as
 * rejected and the rest accepted (a 4xx would make Auth0 drop the good ones with them).
 */
export const createEventStreamRoute = (options: EventStreamRouteOptions): Route => {
  const expected = options.authorizations.map(digest);
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const deadlineMs = options.bodyDeadlineMs ?? DEFAULT_BODY_DEADLINE_MS;
  return {
    method: 'POST',
    path: EVENT_STREAM_PATH,
    handler: async (req, res) => {
      if (!matchesOne(req.headers.authorization ?? '', expected)) {
        options.onRequest?.('unauthorized');
        res.setHeader('connection', 'close');
        sendJson(
          res,
          401,
          { error: 'unauthorized', message: 'missing or wrong authorization' },
          { 'www-authenticate': 'Bearer, Basic' },
        );
        return;
      }
      let body: string;
      try {
        body = await withDeadline(readBody(req, limit), deadlineMs);
      } catch (error) {
        res.setHeader('connection', 'close');
        if (error instanceof BodyTooLarge) {
          options.onRequest?.('too_large');
          sendJson(res, 413, { error: 'payload_too_large', message: `body exceeds ${limit} bytes` });
          return;
        }
        if (error instanceof BodyTimeout) {
          options.onRequest?.('timeout');
          sendJson(res, 503, { error: 'timeout', message: 'the body took too long to arrive' });
          return;
        }
        throw error;
      }
      const parsed = parseEventStreamBody(body);
      if (!parsed.ok) {
        options.onRequest?.('bad_request');
        sendJson(res, 400, { error: 'bad_request', message: parsed.problem });
        return;
      }
      const result = options.ingest(parsed.values);
      options.onRequest?.('accepted');
      options.logger.debug({ event: 'event_stream.batch', ...result }, 'event stream delivery');
      sendJson(res, 200, {
        accepted: result.accepted,
        duplicates: result.duplicates,
        rejected: result.rejected,
      });
    },
  };
};
