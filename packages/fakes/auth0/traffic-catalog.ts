/** The cast of the generated traffic: connections, apps, user agents, documentation-range IPs. */
import type { SeededRandom } from './random.js';

export interface Connection {
  name: string;
  id: string;
  strategy: string;
  strategy_type: string;
  /** Relative share of logins. */
  weight: number;
}

export const DATABASE_CONNECTION: Connection = {
  name: 'Username-Password-Authentication',
  id: 'con_Tb3hJk8sLq2Wv9Xa',
  strategy: 'auth0',
  strategy_type: 'database',
  weight: 70,
};

const CONNECTIONS: readonly Connection[] = [
  DATABASE_CONNECTION,
  {
    name: 'google-oauth2',
    id: 'con_Gg7oP4cY1nM6rQ2e',
    strategy: 'google-oauth2',
    strategy_type: 'social',
    weight: 20,
  },
  { name: 'acme-okta', id: 'con_Ok9tA3wZ5xV8bN1u', strategy: 'okta', strategy_type: 'enterprise', weight: 8 },
  { name: 'email', id: 'con_Em2lS6dF9gH4jK7p', strategy: 'email', strategy_type: 'passwordless', weight: 2 },
];

export interface App {
  clientId: string;
  name: string;
}

/** Apps users log in to when no regular_web/spa/native client is registered in the fake. */
export const DEFAULT_LOGIN_APPS: readonly App[] = [
  { clientId: 'wEb4pPcL1eNt0aCmEwEbApP0000000001', name: 'Acme Web' },
  { clientId: 'sPa4pPcL1eNt0aCmEsPaApP0000000002', name: 'Acme Dashboard (SPA)' },
  { clientId: 'm0b1lEcL1eNt0aCmEmObIlE000000003', name: 'Acme iOS' },
];

/** The tenant admins' Dashboard, whose writes appear as `sapi`. */
export const DASHBOARD_APP: App = { clientId: 'dAsHbOaRdCl1eNt0000000000000000000', name: 'Auth0 Dashboard' };

const USER_AGENTS: readonly { ua: string; mobile: boolean }[] = [
  {
    ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
    mobile: false,
  },
  {
    ua: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15',
    mobile: false,
  },
  { ua: 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0', mobile: false },
  {
    ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.67',
    mobile: false,
  },
  {
    ua: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1',
    mobile: true,
  },
  {
    ua: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.82 Mobile Safari/537.36',
    mobile: true,
  },
];

export const M2M_USER_AGENTS: readonly string[] = [
  'node-fetch/1.0',
  'Go-http-client/2.0',
  'python-requests/2.31.0',
  'okhttp/4.12.0',
];

const FIRST_NAMES = [
  'ana',
  'ben',
  'chloe',
  'dev',
  'emma',
  'farid',
  'grace',
  'hugo',
  'ines',
  'jon',
  'kai',
  'lena',
  'mo',
  'nina',
  'omar',
  'pia',
];
const LAST_NAMES = [
  'smith',
  'garcia',
  'muller',
  'rossi',
  'dubois',
  'khan',
  'nakamura',
  'silva',
  'novak',
  'berg',
];

/** Documentation ranges only (RFC 5737 / RFC 3849), so no generated address belongs to anyone. */
export function randomIp(random: SeededRandom): string {
  if (random.chance(0.05)) return `2001:db8:${random.hex(4)}::${random.int(1, 0xffff).toString(16)}`;
  const prefix = random.pick(['192.0.2', '198.51.100', '203.0.113']);
  return `${prefix}.${random.int(1, 255)}`;
}

export interface Actor {
  userId: string;
  userName: string;
  ip: string;
  userAgent: string;
  isMobile: boolean;
  connection: Connection;
}

export function makeActors(random: SeededRandom, count: number): Actor[] {
  return Array.from({ length: count }, () => {
    const first = random.pick(FIRST_NAMES);
    const last = random.pick(LAST_NAMES);
    const connection = random.weighted(CONNECTIONS.map((c) => [c, c.weight] as const));
    const agent = random.pick(USER_AGENTS);
    const idPrefix = connection.strategy === 'auth0' ? 'auth0' : connection.strategy;
    return {
      userId: `${idPrefix}|${random.hex(24)}`,
      userName: `${first}.${last}${random.int(1, 99)}@example.com`,
      ip: randomIp(random),
      userAgent: agent.ua,
      isMobile: agent.mobile,
      connection,
    };
  });
}
