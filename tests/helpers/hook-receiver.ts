import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

interface ReceivedHook {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** The signature header checked as the README tells receivers to (HMAC-SHA256 over `t.body`). */
  readonly signatureValid: boolean;
  /** Seconds between the signed `t` and this receiver's clock. */
  readonly skewSeconds: number;
}

/** The README's check, written independently of src/ so a wrong signer cannot agree with itself. */
const verifySignature = (secret: string, header: string | undefined, body: string): boolean => {
  const parts: Record<string, string | undefined> = Object.fromEntries(
    (header ?? '').split(',').map((kv) => kv.split('=', 2)),
  );
  const t = parts.t ?? '';
  const v1 = parts.v1 ?? '';
  const mac = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return /^\d+$/.test(t) && v1.length === mac.length && timingSafeEqual(Buffer.from(v1), Buffer.from(mac));
};

/**
 * A JWKS-refresh receiver on 127.0.0.1: records every request, answers with the queued statuses
 * (then `otherwise`), and checks each signature with `secret`.
 */
export const startHookReceiver = async (secret: string, opts: { otherwise?: number } = {}) => {
  const received: ReceivedHook[] = [];
  const answers: number[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const header = req.headers['x-auth0-oncall-signature'];
      const t = Number(/t=(\d+)/.exec(typeof header === 'string' ? header : '')?.[1] ?? NaN);
      received.push({
        path: req.url ?? '/',
        headers: req.headers,
        body,
        signatureValid: verifySignature(secret, typeof header === 'string' ? header : undefined, body),
        skewSeconds: Math.abs(Date.now() / 1000 - t),
      });
      res.writeHead(answers.shift() ?? opts.otherwise ?? 204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path = '/jwks-refresh') => `http://127.0.0.1:${port}${path}`,
    received,
    /** The next requests get these statuses, in order. */
    answer: (...statuses: number[]) => {
      answers.push(...statuses);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
      }),
  };
};

export type HookReceiver = Awaited<ReturnType<typeof startHookReceiver>>;
