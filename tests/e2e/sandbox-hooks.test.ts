/**
 * The sandbox's signing-key scenario shows the JWKS-refresh hooks: the built app, as a child
 * process against the fakes, notices the rotation and POSTs a signed hook to the sandbox's two
 * pretend APIs, and the incident's thread says which acknowledged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox.js';

describe('the sandbox: signing-key rotation', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, seed: 11 });
  }, 90_000);
  afterAll(async () => {
    await sandbox.stop();
  }, 30_000);

  it('delivers signed JWKS-refresh hooks to both pretend APIs and says so in the thread', async () => {
    const said = await sandbox.runScenario('signing-key-rotation');
    expect(said).toMatch(
      /JWKS-refresh hooks received by .*orders-api \(signing_key_rotated, kid [^,]+, signature valid\)/,
    );
    expect(said).toMatch(/payments-api \(signing_key_rotated, kid [^,]+, signature valid\)/);

    const line = await sandbox.slack.waitFor(
      () =>
        sandbox.slack
          .channelMessages('C0ALERTS')
          .flatMap((m) => sandbox.slack.threadReplies('C0ALERTS', m.ts))
          .map((m) => m.text ?? '')
          .find((t) => t.includes('JWKS refresh hooks')),
      { timeoutMs: 30_000 },
    );
    expect(line).toMatch(/acknowledged by 127\.0\.0\.1:\d+\/orders-api\/jwks-refresh \(204\)/);
    expect(line).toMatch(/127\.0\.0\.1:\d+\/payments-api\/jwks-refresh \(204\)/);
  }, 60_000);
});
