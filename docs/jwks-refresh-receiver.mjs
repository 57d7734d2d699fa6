// Receives auth0-oncall's JWKS-refresh hooks and drops the cached signing keys (README: "JWKS-refresh hooks").
// JWKS_REFRESH_SECRET=… JWKS_URL=https://TENANT/.well-known/jwks.json PORT=8080 node jwks-refresh-receiver.mjs
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { createRemoteJWKSet } from 'jose';

const jwks = createRemoteJWKSet(new URL(process.env.JWKS_URL)); // what your jwtVerify(token, jwks) uses
const REPLAY_WINDOW_S = 300; // refuse a request signed more than 5 minutes from our clock: a replay

const signedBySender = (header = '', body) => {
  const { t, v1 = '' } = Object.fromEntries(header.split(',').map((kv) => kv.split('=', 2)));
  const mac = createHmac('sha256', process.env.JWKS_REFRESH_SECRET).update(`${t}.${body}`).digest('hex');
  const fresh = Math.abs(Date.now() / 1000 - Number(t)) <= REPLAY_WINDOW_S;
  return fresh && v1.length === mac.length && timingSafeEqual(Buffer.from(v1), Buffer.from(mac));
};

createServer(async (req, res) => {
  let body = '';
  for await (const chunk of req) body += chunk;
  if (!signedBySender(req.headers['x-auth0-oncall-signature'], body)) return res.writeHead(401).end();
  // Not acknowledged unless the keys really reloaded: auth0-oncall then retries.
  const failed = await jwks.reload().catch(() => true);
  res.writeHead(failed ? 503 : 204).end();
}).listen(Number(process.env.PORT ?? 8080), function () {
  console.log(`listening on ${this.address().port}`);
});
