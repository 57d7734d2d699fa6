/** Wire helpers shared by the routes: body parsing, the Management API error shape, header recording. */
import { STATUS_CODES, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import type { Reply } from './types.js';

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });
}

export type ParsedBody = { ok: true; value: unknown } | { ok: false; raw: string };

/** JSON when the content type says so, a flat object for forms, undefined for an empty body. */
export function parseBody(raw: string, contentType: string | undefined): ParsedBody {
  if (raw === '') return { ok: true, value: undefined };
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (type === 'application/x-www-form-urlencoded') {
    return { ok: true, value: Object.fromEntries(new URLSearchParams(raw)) };
  }
  try {
    return { ok: true, value: JSON.parse(raw) as unknown };
  } catch {
    return { ok: false, raw };
  }
}

/** The Management API error body: `{statusCode, error, message, errorCode?}`. */
export function apiError(status: number, message: string, errorCode?: string): Reply {
  const body: Record<string, unknown> = {
    statusCode: status,
    error: STATUS_CODES[status] ?? 'Error',
    message,
  };
  if (errorCode !== undefined) body.errorCode = errorCode;
  return { status, body };
}

export function json(body: unknown, status = 200): Reply {
  return { status, body };
}

/** Recorded headers keep the auth scheme only, so a test log never holds a token or a secret. */
export function recordedHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(', ') : value;
    out[name] = name === 'authorization' ? (text.split(' ')[0] ?? '') : text;
  }
  return out;
}

export function clientIp(req: IncomingMessage): string {
  const forwarded = req.headers['x-forwarded-for'];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
  const address = first ?? req.socket.remoteAddress ?? '127.0.0.1';
  return address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
}

export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}

export function stringField(body: unknown, key: string): string | undefined {
  if (!isRecord(body)) return undefined;
  const value = body[key];
  return typeof value === 'string' ? value : undefined;
}
