import { generateKeyPairSync } from 'node:crypto';

/** The smallest environment that loads: every required variable, valid. */
export const validEnv = (
  overrides: Record<string, string | undefined> = {},
): Record<string, string | undefined> => ({
  SLACK_BOT_TOKEN: 'xoxb-test-bot-token',
  SLACK_APP_TOKEN: 'xapp-1-A0APP-test-app-token',
  SLACK_ALERT_CHANNEL: 'C0ALERTS',
  SLACK_OPERATORS: 'U0OPERATOR',
  AUTH0_DOMAIN: 'acme.eu.auth0.com',
  AUTH0_CLIENT_ID: 'botClient0001',
  AUTH0_CLIENT_SECRET: 'bot-client-secret-value-0001',
  // Never the real tenant: tests reach only loopback. Port 1 refuses at once unless a test
  // points this at a fake tenant.
  AUTH0_BASE_URL: 'http://127.0.0.1:1',
  ...overrides,
});

export const rsaKeys = () => {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    pkcs8: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    pkcs1: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
  };
};
