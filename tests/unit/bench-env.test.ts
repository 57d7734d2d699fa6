import { describe, expect, it } from 'vitest';
import { BOT_CLIENT, benchEnv } from '../../bench/app-env.js';
import { loadConfig } from '../../src/config.js';

// The benchmarks do not run in `npm test`: this keeps their environment in step with the schema.
describe("the benchmarks' environment", () => {
  it('loads, as the bot client the benchmarks register with the fake tenant', () => {
    const config = loadConfig(benchEnv());
    expect(config.auth0.clientId).toBe(BOT_CLIENT.clientId);
    expect(config.auth0.credential).toMatchObject({ kind: 'client_secret' });
  });
});
