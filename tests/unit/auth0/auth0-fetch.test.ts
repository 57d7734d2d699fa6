import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createAuth0Fetch } from '../../../src/auth0/auth0-fetch.js';
import { classifyLog, OWN_USER_AGENT, parseLogEntry } from '../../../src/core/logs/classification.js';

/**
 * Every request the bot sends to Auth0 carries its own user agent, so that the log entries Auth0
 * writes for them (a test token request for another client, say) are recognised as the bot's own.
 */

const servers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of servers.splice(0)) await stop();
});

const recorder = async () => {
  const seen: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    seen.push(req.headers);
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(
    () =>
      new Promise((resolve) =>
        server.close(() => {
          resolve();
        }),
      ),
  );
  const { port } = server.address() as AddressInfo;
  return { seen, baseUrl: `http://127.0.0.1:${String(port)}` };
};

describe('the Auth0 fetch', () => {
  it("sends the bot's user agent on a token request, keeping the SDK's after it", async () => {
    const { seen, baseUrl } = await recorder();
    const auth0Fetch = createAuth0Fetch({ domain: 'acme.eu.auth0.com', baseUrl });
    await auth0Fetch('https://acme.eu.auth0.com/oauth/token', { method: 'POST', body: 'x' });
    await auth0Fetch('https://acme.eu.auth0.com/api/v2/logs', {
      headers: { 'user-agent': 'node-auth0/7.1.0' },
    });
    await auth0Fetch(
      new Request('https://acme.eu.auth0.com/api/v2/keys/signing', { headers: { 'x-a': 'b' } }),
    );
    expect(seen.map((h) => h['user-agent'])).toEqual([
      OWN_USER_AGENT,
      `${OWN_USER_AGENT} node-auth0/7.1.0`,
      OWN_USER_AGENT,
    ]);
    expect(seen[2]?.['x-a']).toBe('b');
  });

  it("marks a logged token exchange with the bot's user agent as its own, whatever the client", () => {
    const parsed = parseLogEntry({
      log_id: 'l1',
      date: '2026-03-10T12:00:00.000Z',
      type: 'feccft',
      client_id: 'Worker000000000000000001',
      client_name: 'billing-worker',
      user_agent: `${OWN_USER_AGENT} node-auth0/7.1.0`,
    });
    if (!parsed.ok) throw new Error(parsed.problem);
    expect(classifyLog(parsed.entry, { botClientId: 'botClient0001' }).own).toBe(true);
    const theirs = parseLogEntry({
      ...parsed.entry,
      log_id: 'l2',
      user_agent: 'curl/8.5.0',
      date: parsed.entry.date,
    });
    if (!theirs.ok) throw new Error(theirs.problem);
    expect(classifyLog(theirs.entry, { botClientId: 'botClient0001' }).own).toBe(false);
  });
});
