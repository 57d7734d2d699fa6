/** A tiny method + path-pattern router for the Management API routes. */
import type { IncomingHttpHeaders } from 'node:http';
import type { Caller } from './access-tokens.js';
import type { Reply } from './types.js';

export interface RequestContext {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: unknown;
  /** Decoded `:name` segments of the matched pattern. */
  params: Record<string, string>;
  ip: string;
  /** The client behind the Bearer token; set on every routed /api/v2 request. */
  caller?: Caller;
}

type Handler = (ctx: RequestContext) => Reply | Promise<Reply>;

export interface Route {
  method: string;
  /** e.g. `/api/v2/clients/:id/credentials/:credentialId` */
  pattern: string;
  /** Checked loosely: the caller needs this scope or the matching `update:` one for reads. */
  scope: string;
  handler: Handler;
}

interface CompiledRoute {
  route: Route;
  regex: RegExp;
  names: string[];
}

export type RouteMatch =
  | { kind: 'found'; route: Route; params: Record<string, string> }
  | { kind: 'method_not_allowed' }
  | { kind: 'not_found' };

export class Router {
  private readonly compiled: CompiledRoute[];

  constructor(routes: Route[]) {
    this.compiled = routes.map((route) => {
      const names: string[] = [];
      const source = route.pattern
        .split('/')
        .map((segment) => {
          if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          names.push(segment.slice(1));
          return '([^/]+)';
        })
        .join('/');
      return { route, regex: new RegExp(`^${source}/?$`), names };
    });
  }

  match(method: string, path: string): RouteMatch {
    let pathMatched = false;
    for (const { route, regex, names } of this.compiled) {
      const found = regex.exec(path);
      if (found === null) continue;
      pathMatched = true;
      if (route.method !== method) continue;
      const params: Record<string, string> = {};
      names.forEach((name, index) => {
        params[name] = decodeURIComponent(found[index + 1] ?? '');
      });
      return { kind: 'found', route, params };
    }
    return pathMatched ? { kind: 'method_not_allowed' } : { kind: 'not_found' };
  }
}
