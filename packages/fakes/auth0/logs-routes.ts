/** GET /api/v2/logs (checkpoint and search modes) and GET /api/v2/logs/{id}. */
import { apiError, json } from './http.js';
import { parseLogQuery, parseSort, projectFields } from './log-query.js';
import type { LogStore } from './log-store.js';
import type { Route } from './router.js';
import type { Reply } from './types.js';

const MAX_PAGE = 100;
const MAX_REACHABLE = 1000;
const DEFAULT_PAGE = 50;

function intParam(query: URLSearchParams, name: string, fallback: number): number | undefined {
  const text = query.get(name);
  if (text === null || text === '') return fallback;
  return /^\d+$/.test(text) ? Number(text) : undefined;
}

function badQuery(message: string): Reply {
  return apiError(400, `Query validation error: ${message}`, 'invalid_query_string');
}

/** `from` + `take`: a bare array of entries after `from` in id order; every other param is ignored. */
function checkpointPage(logs: LogStore, domain: string, query: URLSearchParams): Reply {
  const from = query.get('from') ?? '';
  const take = intParam(query, 'take', DEFAULT_PAGE);
  if (!/^\d+$/.test(from)) return badQuery(`"from" must be a log id, got "${from}"`);
  if (take === undefined || take < 1 || take > MAX_PAGE) return badQuery(`"take" must be 1..${MAX_PAGE}`);
  const page = logs.after(from, take);
  // An empty page points at the same checkpoint: that is how a poller knows it has caught up.
  const next = page.at(-1)?.key ?? from;
  return {
    status: 200,
    body: page.map((log) => log.value),
    headers: { link: `<https://${domain}/api/v2/logs?from=${next}&take=${take}>; rel="next"` },
  };
}

function searchPage(logs: LogStore, query: URLSearchParams): Reply {
  const page = intParam(query, 'page', 0);
  const perPage = intParam(query, 'per_page', DEFAULT_PAGE);
  if (page === undefined || perPage === undefined) return badQuery('"page" and "per_page" must be integers');
  if (perPage > MAX_PAGE) return badQuery(`"per_page" must be at most ${MAX_PAGE}`);
  if ((page + 1) * perPage > MAX_REACHABLE) {
    return badQuery(
      `you can only page through the first ${MAX_REACHABLE} results; narrow the search or use from/take`,
    );
  }
  const filter = parseLogQuery(query.get('q'));
  if (!filter.ok) return badQuery(filter.message);
  const sort = parseSort(query.get('sort'));
  if (!sort.ok) return badQuery(sort.message);
  const include = query.get('include_fields') !== 'false';
  const selected = logs
    .all()
    .filter(filter.value)
    .sort(sort.value)
    .slice(page * perPage, (page + 1) * perPage)
    .map((log) => projectFields(log.value, query.get('fields'), include));
  if (query.get('include_totals') !== 'true') return json(selected);
  // `total` is the size of this page only, not of the whole result set.
  return json({
    start: page * perPage,
    limit: perPage,
    length: selected.length,
    total: selected.length,
    logs: selected,
  });
}

export function logRoutes(logs: LogStore, domain: string): Route[] {
  return [
    {
      method: 'GET',
      pattern: '/api/v2/logs',
      scope: 'read:logs',
      handler: ({ query }) =>
        query.has('from') ? checkpointPage(logs, domain, query) : searchPage(logs, query),
    },
    {
      method: 'GET',
      pattern: '/api/v2/logs/:id',
      scope: 'read:logs',
      handler: ({ params }) => {
        const found = logs.get(params.id ?? '');
        return found === undefined ? apiError(404, 'log not found', 'inexistent_log') : json(found.value);
      },
    },
  ];
}
