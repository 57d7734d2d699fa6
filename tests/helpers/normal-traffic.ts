/**
 * A small company's ordinary Auth0 traffic, minute by minute: the background every detection is
 * judged beside. Deterministic (no randomness): minute `m` always yields the same entries, so a test
 * that adds an attack on top can name exact numbers. Per minute, by default:
 * - 40 logins (`s`) from 30 users over 25 IPs on the database connection, 4 on Google (`s`), 3
 *   cross-origin logins (`scoa`), 2 wrong passwords (`fp`) and 1 unknown user (`fu`) on every 2nd
 *   minute, 1 `f` (callback mismatch) every 10th;
 * - web apps exchanging codes (`seacft` ×12) and refresh tokens (`sertft` ×6), 1 `fertft` (expired
 *   refresh token) every 5th minute;
 * - two M2M workers getting tokens (`seccft` ×2 each), the bot's own token every 10th minute;
 * - MFA: 2 `gd_send_sms` + 2 `gd_auth_succeed`, 1 `gd_send_pn` + 1 `gd_auth_succeed`, a
 *   `gd_auth_failed` (typo) every 6th minute;
 * - 1 signup (`ss`) every 2nd minute, 1 `fs` (password too weak) every 15th, a `svr` (verification
 *   mail queued), `cls` passwordless codes, silent-auth `ssa` ×5 and `fsa` ×2 (login_required), a
 *   `slo` logout, a `sapi` user-profile edit (`PATCH /api/v2/users/…`) every 20th minute, an
 *   `api_limit_warning`-free tenant, an Actions run that succeeds (nothing logged).
 * Times are spread evenly over the minute.
 */

export type RawEntry = Record<string, unknown>;

export const NORMAL = {
  connection: 'Username-Password-Authentication',
  social: 'google-oauth2',
  webClient: { client_id: 'WebApp0000000000000001', client_name: 'acme-web' },
  spaClient: { client_id: 'Spa00000000000000000001', client_name: 'acme-spa' },
  workers: [
    { client_id: 'Worker000000000000000001', client_name: 'billing-worker' },
    { client_id: 'Worker000000000000000002', client_name: 'report-worker' },
  ],
} as const;

const USER_AGENT =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Version/17.5 Safari/605.1.15';

/** 198.18.x.y: a benchmarking range, never one an attack scenario uses. */
const ipOf = (n: number): string => `198.18.${Math.floor(n / 250) % 250}.${(n % 250) + 1}`;
const userOf = (n: number) => ({ user_id: `auth0|user${n}`, user_name: `user${n}@acme-customers.example` });

interface Template {
  readonly type: string;
  readonly count: (minute: number) => number;
  readonly fields: (minute: number, i: number) => RawEntry;
}

const every =
  (k: number, n = 1) =>
  (minute: number) =>
    minute % k === 0 ? n : 0;
const always = (n: number) => () => n;

const login = (minute: number, i: number, connection: string): RawEntry => {
  const user = (minute * 7 + i * 13) % 30;
  return {
    ...userOf(user),
    ip: ipOf((user * 3 + (i % 5)) % 25),
    connection,
    strategy: connection === NORMAL.connection ? 'auth0' : 'google-oauth2',
    ...NORMAL.webClient,
    user_agent: USER_AGENT,
  };
};

const TEMPLATES: readonly Template[] = [
  { type: 's', count: always(40), fields: (m, i) => login(m, i, NORMAL.connection) },
  { type: 's', count: always(4), fields: (m, i) => login(m, i + 100, NORMAL.social) },
  {
    type: 'scoa',
    count: always(3),
    fields: (m, i) => ({ ...login(m, i + 200, NORMAL.connection), ...NORMAL.spaClient }),
  },
  {
    type: 'fp',
    count: every(2, 2),
    fields: (m, i) => ({ ...login(m, i + 300, NORMAL.connection), description: 'Wrong email or password.' }),
  },
  {
    type: 'fu',
    count: every(2),
    fields: (m, i) => ({
      ...login(m, i + 400, NORMAL.connection),
      user_name: `typo${m % 7}@acme-customers.example`,
      user_id: undefined,
      description: 'Wrong email or password.',
    }),
  },
  {
    type: 'f',
    count: every(10),
    fields: (m, i) => ({
      ...login(m, i + 500, NORMAL.connection),
      description:
        'Callback URL mismatch. https://staging.acme.example/callback is not in the list of allowed callback URLs',
    }),
  },
  {
    type: 'seacft',
    count: always(12),
    fields: (m, i) => ({ ...NORMAL.webClient, ip: ipOf((m + i) % 25), ...userOf((m + i) % 30) }),
  },
  {
    type: 'sertft',
    count: always(6),
    fields: (m, i) => ({ ...NORMAL.spaClient, ip: ipOf((m + i * 2) % 25), ...userOf((m + i) % 30) }),
  },
  {
    type: 'fertft',
    count: every(5),
    fields: (m) => ({
      ...NORMAL.spaClient,
      ip: ipOf(m % 25),
      description: 'Unknown or invalid refresh token.',
    }),
  },
  { type: 'seccft', count: always(2), fields: () => ({ ...NORMAL.workers[0], ip: '34.120.10.5' }) },
  { type: 'seccft', count: always(2), fields: () => ({ ...NORMAL.workers[1], ip: '34.120.10.6' }) },
  {
    type: 'gd_send_sms',
    count: always(2),
    fields: (m, i) => ({ ...userOf((m + i) % 30), ip: ipOf((m + i) % 25) }),
  },
  {
    type: 'gd_send_pn',
    count: always(1),
    fields: (m) => ({ ...userOf((m + 5) % 30), ip: ipOf((m + 5) % 25) }),
  },
  {
    type: 'gd_auth_succeed',
    count: always(3),
    fields: (m, i) => ({ ...userOf((m + i) % 30), ip: ipOf((m + i) % 25) }),
  },
  {
    type: 'gd_auth_failed',
    count: every(6),
    fields: (m) => ({ ...userOf(m % 30), ip: ipOf(m % 25), description: 'Wrong otp.' }),
  },
  {
    type: 'ss',
    count: every(2),
    fields: (m) => ({
      ...userOf(1000 + m),
      ip: ipOf(m % 25),
      connection: NORMAL.connection,
      ...NORMAL.webClient,
    }),
  },
  {
    type: 'fs',
    count: every(15),
    fields: (m) => ({
      ip: ipOf(m % 25),
      connection: NORMAL.connection,
      ...NORMAL.webClient,
      description: 'PasswordStrengthError: Password is too weak',
    }),
  },
  { type: 'svr', count: every(2), fields: (m) => ({ ...userOf(1000 + m), ...NORMAL.webClient }) },
  {
    type: 'cls',
    count: every(3),
    fields: (m) => ({ ...userOf(m % 30), connection: 'email', ...NORMAL.webClient }),
  },
  { type: 'ssa', count: always(5), fields: (m, i) => ({ ...userOf((m + i) % 30), ...NORMAL.spaClient }) },
  {
    type: 'fsa',
    count: always(2),
    fields: (m, i) => ({
      ...NORMAL.spaClient,
      ip: ipOf((m + i) % 25),
      description: 'Login required',
      details: { error: { message: 'Login required' } },
    }),
  },
  { type: 'slo', count: always(1), fields: (m) => ({ ...userOf(m % 30), ...NORMAL.webClient }) },
  {
    type: 'sapi',
    count: every(20),
    fields: (m) => ({
      client_id: 'Support0000000000000001',
      client_name: 'support-tool',
      description: 'Update a user',
      details: {
        request: {
          method: 'patch',
          path: `/api/v2/users/auth0|user${m % 30}`,
          body: { user_metadata: { plan: 'pro' } },
        },
      },
    }),
  },
];

/**
 * The entries of minute `minute` (any integer, e.g. minutes since the epoch) whose start is
 * `startMs`: raw Auth0 log entries with unique `log_id`s (prefix `bg-`).
 */
export const normalMinute = (minute: number, startMs: number, botClientId?: string): RawEntry[] => {
  const entries: RawEntry[] = [];
  const all = [...TEMPLATES];
  if (botClientId !== undefined && minute % 10 === 0) {
    all.push({
      type: 'seccft',
      count: always(1),
      fields: () => ({ client_id: botClientId, client_name: 'auth0-oncall' }),
    });
  }
  let total = 0;
  for (const t of all) total += t.count(minute);
  let k = 0;
  for (const [ti, t] of all.entries()) {
    const n = t.count(minute);
    for (let i = 0; i < n; i++, k++) {
      const offset = Math.floor((k * 60_000) / Math.max(1, total));
      const fields = Object.fromEntries(
        Object.entries(t.fields(minute, i)).filter(([, v]) => v !== undefined),
      );
      entries.push({
        log_id: `bg-${minute}-${ti}-${i}`,
        date: new Date(startMs + offset).toISOString(),
        type: t.type,
        ...fields,
      });
    }
  }
  return entries;
};
