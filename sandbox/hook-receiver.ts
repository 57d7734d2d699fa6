import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One JWKS-refresh notification as the sandbox's receiver saw it. */
export interface SandboxHook {
  readonly api: string;
  readonly at: Date;
  readonly signatureValid: boolean;
  readonly event: string;
  readonly kid: string | null;
}

/** The replay window the README asks receivers to enforce. */
const REPLAY_WINDOW_S = 300;

const verify = (secret: string, header: string | undefined, body: string): boolean => {
  const part = (name: string) =>
    /^(.*)=(.*)$/.exec((header ?? '').split(',').find((p) => p.startsWith(`${name}=`)) ?? '')?.[2] ?? '';
  const t = part('t');
  const v1 = part('v1');
  const mac = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  const fresh = Math.abs(Date.now() / 1000 - Number(t)) <= REPLAY_WINDOW_S;
  return fresh && v1.length === mac.length && timingSafeEqual(Buffer.from(v1), Buffer.from(mac));
};

const fields = (body: string): { event: string; kid: string | null } => {
  try {
    const parsed = JSON.parse(body) as { event?: unknown; kid?: unknown };
    return {
      event: typeof parsed.event === 'string' ? parsed.event : 'unknown',
      kid: typeof parsed.kid === 'string' ? parsed.kid : null,
    };
  } catch {
    return { event: 'unparsable', kid: null };
  }
};

/**
 * Two pretend APIs (`/orders-api`, `/payments-api`) that cache the JWKS and take the app's
 * JWKS-refresh hooks: each checks the signature as docs/jwks-refresh-receiver.mjs does and
 * acknowledges with 204 (401 when it does not verify).
 */
export const startSandboxHookReceiver = async (secret: string) => {
  const received: SandboxHook[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const header = req.headers['x-auth0-oncall-signature'];
      const signatureValid = verify(secret, typeof header === 'string' ? header : undefined, body);
      const api = (req.url ?? '/').split('/')[1] ?? '';
      received.push({ api, at: new Date(), signatureValid, ...fields(body) });
      res.writeHead(signatureValid ? 204 : 401).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    urls: [
      `http://127.0.0.1:${port}/orders-api/jwks-refresh`,
      `http://127.0.0.1:${port}/payments-api/jwks-refresh`,
    ],
    received: (): readonly SandboxHook[] => received,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
      }),
  };
};

export type SandboxHookReceiver = Awaited<ReturnType<typeof startSandboxHookReceiver>>;
