/** awsJson1_1 plumbing: reading the body, the X-Amz-Target header, redaction, writing replies. */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export const REDACTED = '[redacted]';

/** Request fields that carry secret material: never kept in the request log. */
const SECRET_FIELDS = new Set(['SecretString', 'SecretBinary']);

export const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export type ParsedParams =
  { readonly ok: true; readonly value: Record<string, unknown> } | { readonly ok: false };

/** The SDK sends `{}` for an empty input; anything but a JSON object is a serialization error. */
export const parseParams = (raw: string): ParsedParams => {
  if (raw.trim() === '') return { ok: true, value: {} };
  try {
    const value: unknown = JSON.parse(raw);
    return isRecord(value) ? { ok: true, value } : { ok: false };
  } catch {
    return { ok: false };
  }
};

export const redact = (params: Readonly<Record<string, unknown>>): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(params).map(([key, value]) => [key, SECRET_FIELDS.has(key) ? REDACTED : value]),
  );

/** `secretsmanager.GetSecretValue` → `GetSecretValue`; undefined for any other service prefix. */
export const targetOp = (header: string | string[] | undefined): string | undefined => {
  const value = Array.isArray(header) ? header[0] : header;
  const match = /^secretsmanager\.(\w+)$/.exec(value ?? '');
  return match?.[1];
};

export const headerText = (header: string | string[] | undefined): string =>
  (Array.isArray(header) ? header.join(', ') : header) ?? '';

export const sendJson = (res: ServerResponse, status: number, body: unknown): void => {
  if (res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
  });
  res.end(text);
};
