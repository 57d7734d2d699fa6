/**
 * The app's environment for the benchmarks: every required variable, valid, aimed at nothing until
 * a benchmark points it at its fakes. The benchmarks do not run in `npm test`, so a test keeps this
 * loading (tests/unit/bench-env.test.ts).
 */

/** The bot's own Machine-to-Machine application, as the benchmarks register it with the fake tenant. */
export const BOT_CLIENT = {
  clientId: 'benchBotClient0001',
  name: 'auth0-oncall',
  appType: 'non_interactive',
  secret: 'bench-bot-client-secret-0001',
} as const;

export const benchEnv = (
  overrides: Record<string, string | undefined> = {},
): Record<string, string | undefined> => ({
  SLACK_BOT_TOKEN: 'xoxb-bench-bot-token',
  SLACK_APP_TOKEN: 'xapp-1-A0APP-bench-app-token',
  SLACK_ALERT_CHANNEL: 'C0ALERTS',
  SLACK_OPERATORS: 'U0OPERATOR',
  AUTH0_DOMAIN: 'acme.eu.auth0.com',
  AUTH0_CLIENT_ID: BOT_CLIENT.clientId,
  AUTH0_CLIENT_SECRET: BOT_CLIENT.secret,
  // Port 1 refuses at once: a benchmark that needs a tenant points this at its fake.
  AUTH0_BASE_URL: 'http://127.0.0.1:1',
  ...overrides,
});
