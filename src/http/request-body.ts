import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Shared by the webhook receivers (Log Stream, Event Streams): authorization and bounded bodies. */

// Comparing digests keeps the comparison constant-time even when the lengths differ.
export const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/** Whether `given` equals one of `expected` (digests); every candidate is compared, so timing says nothing. */
export const matchesOne = (given: string, expected: readonly Buffer[]): boolean => {
  const d = digest(given);
  let ok = false;
  for (const e of expected) ok = timingSafeEqual(d, e) || ok;
  return ok;
};

export class BodyTooLarge extends Error {}

/** The body as UTF-8, refused as soon as it (or its declared length) exceeds `limit` bytes. */
export const readBody = async (req: IncomingMessage, limit: number): Promise<string> => {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw new BodyTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new BodyTooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
};
