import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorOf, noRetries, SECRET, startStore, type StoreFixture, v } from './helpers.js';

const CURRENT_VALUE = 'sEcReT-current-7c1f';
const PENDING_VALUE = 'sEcReT-pending-93ab';
const OTHER_VALUE = 'sEcReT-regenerated-5d20';
const LEAK = /sEcReT-/;

let s: StoreFixture;

beforeEach(async () => {
  // Generous, so a loaded machine never times out a call that should succeed; the timeout case
  // below waits far longer than this.
  s = await startStore({ ...noRetries, timeoutMs: 2_000 });
  s.fake.seed(SECRET, CURRENT_VALUE, { versionId: v(1) });
});

afterEach(async () => {
  await s.close();
});

/** Everything a log line, a Slack message or a crash report could show of an error, causes included. */
const renderings = (error: unknown): string[] => {
  const out: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current instanceof Error; depth += 1) {
    out.push(current.message, String(current), current.stack ?? '', JSON.stringify(current));
    current = current.cause;
  }
  out.push(inspect(error, { depth: 6, showHidden: false }));
  return out;
};

describe('SecretsManagerSecretStore secrecy', () => {
  it('never puts a secret value in an error, a log line or the fake request log', async () => {
    await s.store.putPending(SECRET, v(2), PENDING_VALUE);
    const failures: Array<() => Promise<unknown>> = [
      // Same token, different value: ResourceExistsException.
      () => s.store.putPending(SECRET, v(2), OTHER_VALUE),
      // A token AWS would refuse, refused locally.
      () => s.store.putPending(SECRET, 'short', OTHER_VALUE),
      () => {
        s.fake.crashAfter('PutSecretValue');
        return s.store.putPending(SECRET, v(3), OTHER_VALUE);
      },
      () => {
        s.fake.crashAfter('PutSecretValue', { drop: true });
        return s.store.putPending(SECRET, v(4), OTHER_VALUE);
      },
      () => {
        s.fake.latency('PutSecretValue', 6_000);
        return s.store.putPending(SECRET, v(5), OTHER_VALUE);
      },
      // A reply that quotes the value where the schema wants something else.
      () => {
        s.fake.malformedNext('GetSecretValue', { VersionId: 7, SecretString: CURRENT_VALUE });
        return s.store.get(SECRET);
      },
      () => {
        s.fake.failNext('GetSecretValue', { type: 'DecryptionFailure', message: 'KMS said no' });
        return s.store.getVersion(SECRET, v(2));
      },
      () => s.store.moveStage(SECRET, 'AWSCURRENT', v(2), undefined),
    ];
    const errors: unknown[] = [];
    for (const fail of failures) errors.push(await errorOf(fail()));

    expect(errors.every((e) => e instanceof Error)).toBe(true);
    for (const error of errors) {
      for (const text of renderings(error)) expect(text).not.toMatch(LEAK);
    }
    expect(s.logLines.length).toBeGreaterThan(0);
    expect(s.logLines.join('\n')).not.toMatch(LEAK);
    expect(JSON.stringify(s.fake.requests)).not.toMatch(LEAK);
    expect(inspect(s.fake.requests, { depth: 6 })).not.toMatch(LEAK);
    // The values did reach the fake: the scan above would catch them if they were echoed.
    expect(s.fake.versions(SECRET).map((x) => x.value)).toContain(PENDING_VALUE);
  });
});
