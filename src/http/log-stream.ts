import type { LogIngester } from '../core/logs/ingest.js';
import type { Logger } from '../logger.js';
import { parseJsonArrayInTurns, parseJsonLinesInTurns } from './json-in-turns.js';
import { BodyTooLarge, digest, matchesOne, readBody } from './request-body.js';
import { sendJson, type Route } from './server.js';

const LOG_STREAM_PATH = '/auth0/log-stream';
/** Auth0 batches a few hundred entries at most; anything far larger is not a Log Stream. */
const DEFAULT_MAX_BODY_BYTES = 2 * 1024 * 1024;

export interface LogStreamOptions {
  readonly token: string;
  readonly ingester: LogIngester;
  readonly logger: Logger;
  readonly maxBodyBytes?: number;
  readonly onRequest?: (outcome: 'accepted' | 'unauthorized' | 'too_large' | 'bad_request') => void;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Auth0 custom-webhook formats: JSONARRAY (`[…]`), JSONOBJECT (one `{…}`) and JSONLINES. Items
 * are believed to be `{log_id, data:{…}}` (unconfirmed), so bare entries are accepted too. Items
 * are only checked to be objects here (a plain check: a body may hold ~700,000 of them); each
 * entry is validated with its schema when it is ingested.
 */
export const parseLogStreamBody = async (
  body: string,
): Promise<{ ok: true; items: unknown[] } | { ok: false; problem: string }> => {
  const text = body.trim();
  if (text === '') return { ok: false, problem: 'empty body' };
  let values: unknown[];
  try {
    if (text.startsWith('[')) values = await parseJsonArrayInTurns(text);
    else if (!text.includes('\n')) values = [JSON.parse(text)];
    else values = await parseJsonLinesInTurns(text);
  } catch {
    return { ok: false, problem: 'body is not JSON, a JSON array or JSON lines' };
  }
  const items: unknown[] = new Array<unknown>(values.length);
  for (let i = 0; i < values.length; i += 1) {
    const value = values[i];
    if (!isRecord(value)) return { ok: false, problem: `item ${i} is not an object` };
    const data = value.data;
    items[i] = isRecord(data) ? { log_id: value.log_id, ...data } : value;
  }
  return { ok: true, items };
};

/** POST /auth0/log-stream: deduplicated with the poller by log_id, so each event counts once. */
export const createLogStreamRoute = (options: LogStreamOptions): Route => {
  const expected = [digest(`Bearer ${options.token}`)];
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  return {
    method: 'POST',
    path: LOG_STREAM_PATH,
    handler: async (req, res) => {
      const auth = req.headers.authorization ?? '';
      if (!matchesOne(auth, expected)) {
        options.onRequest?.('unauthorized');
        // Drain nothing: the connection is closed after the reply so a large body is not read.
        res.setHeader('connection', 'close');
        sendJson(
          res,
          401,
          { error: 'unauthorized', message: 'missing or wrong bearer token' },
          { 'www-authenticate': 'Bearer' },
        );
        return;
      }
      let body: string;
      try {
        body = await readBody(req, limit);
      } catch (error) {
        if (!(error instanceof BodyTooLarge)) throw error;
        options.onRequest?.('too_large');
        res.setHeader('connection', 'close');
        sendJson(res, 413, { error: 'payload_too_large', message: `body exceeds ${limit} bytes` });
        return;
      }
      const parsed = await parseLogStreamBody(body);
      if (!parsed.ok) {
        options.onRequest?.('bad_request');
        sendJson(res, 400, { error: 'bad_request', message: parsed.problem });
        return;
      }
      const result = await options.ingester.ingestInChunks(parsed.items, 'stream');
      options.onRequest?.('accepted');
      options.logger.debug({ event: 'log_stream.batch', ...result }, 'log stream batch');
      sendJson(res, 200, {
        accepted: result.accepted,
        duplicates: result.duplicates,
        malformed: result.malformed,
      });
    },
  };
};
