import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { AppError } from '../errors.js';
import type { Logger } from '../logger.js';

export interface ReadinessCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export interface HttpServerOptions {
  logger: Logger;
  registry: Registry;
  readiness(): ReadinessCheck[];
  info(): Record<string, string | number>;
  /** More routes, e.g. the Log Stream receiver when it is enabled. */
  routes?: readonly Route[];
  /** False for the receivers' server when /healthz and /metrics listen apart (METRICS_PORT). */
  statusRoutes?: boolean;
  /** The variable named when the port cannot be bound (default HTTP_PORT). */
  portVariable?: string;
}

export interface HttpServer {
  listen(port: number, host: string): Promise<AddressInfo>;
  /** Stops accepting connections and closes idle keep-alive ones; resolves when all are gone. */
  close(): Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

export interface Route {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly handler: Handler;
}

export const sendJson = (
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) => {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(text);
};

export const createHttpServer = (options: HttpServerOptions): HttpServer => {
  const routes = new Map<string, Map<string, Handler>>(
    options.statusRoutes === false
      ? []
      : [
          ['/healthz', new Map([['GET', healthz(options)]])],
          ['/metrics', new Map([['GET', metrics(options.registry)]])],
        ],
  );
  for (const route of options.routes ?? []) {
    const byMethod = routes.get(route.path) ?? new Map<string, Handler>();
    byMethod.set(route.method, route.handler);
    routes.set(route.path, byMethod);
  }

  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const byMethod = routes.get(path);
    if (!byMethod) {
      sendJson(res, 404, { error: 'not_found', message: `no route ${path}` });
      return;
    }
    const handler = byMethod.get(req.method === 'HEAD' ? 'GET' : (req.method ?? ''));
    if (!handler) {
      const allow = [...byMethod.keys()].join(', ');
      sendJson(res, 405, { error: 'method_not_allowed', message: `use ${allow}` }, { allow });
      return;
    }
    Promise.resolve()
      .then(() => handler(req, res))
      .catch((err: unknown) => {
        options.logger.error({ event: 'http.handler_error', path, err }, 'HTTP handler failed');
        if (!res.headersSent) sendJson(res, 500, { error: 'internal', message: 'internal error' });
        else res.destroy();
      });
  });
  // Slowloris guard: health checks and scrapes are small and quick.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;

  return {
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        const onError = (err: NodeJS.ErrnoException) => {
          reject(
            new AppError(
              'http_unavailable',
              `${options.portVariable ?? 'HTTP_PORT'}: cannot listen on ${host}:${port} (${err.code ?? err.message}); choose a free port`,
              {
                cause: err,
              },
            ),
          );
        };
        server.once('error', onError);
        server.listen(port, host, () => {
          server.off('error', onError);
          resolve(server.address() as AddressInfo);
        });
      }),
    close: () =>
      new Promise((resolve) => {
        if (!server.listening) {
          resolve();
          return;
        }
        server.close(() => {
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
};

const healthz =
  (options: HttpServerOptions): Handler =>
  (_req, res) => {
    const checks = options.readiness();
    const ready = checks.every((c) => c.ok);
    sendJson(res, ready ? 200 : 503, {
      status: ready ? 'ok' : 'unavailable',
      checks: Object.fromEntries(checks.map((c) => [c.name, { ok: c.ok, detail: c.detail }])),
      ...options.info(),
    });
  };

const metrics =
  (registry: Registry): Handler =>
  async (_req, res) => {
    const body = await registry.metrics();
    res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' });
    res.end(body);
  };
