import { describe, expect, it } from 'vitest';
import {
  credentialSecretStore,
  decodeCredential,
  encodeCredential,
} from '../../../../src/core/secrets/credential-value.js';
import type { SecretStore, SecretVersion, StagingLabel } from '../../../../src/core/secrets/ports.js';
import type { RotationTarget } from '../../../../src/core/rotation/target.js';

const SECRET = 'billing-secret-value-0123456789abcdef';
const secretTarget: RotationTarget = {
  clientId: 'Zx81billing',
  strategy: 'client_secret',
  secretId: 'prod/billing',
};
const keyTarget: RotationTarget = {
  clientId: 'Kq02reports',
  strategy: 'private_key_jwt',
  secretId: 'prod/reports',
};

const messageOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
  throw new Error('expected an error');
};

describe('decodeCredential', () => {
  it('takes a bare value as the credential itself', () => {
    expect(decodeCredential(secretTarget, SECRET)).toEqual({ credential: SECRET, format: { kind: 'bare' } });
  });

  it('reads client_secret from the JSON form, with or without client_id', () => {
    for (const object of [
      { client_secret: SECRET },
      { client_id: 'Zx81billing', client_secret: SECRET, x: 1 },
    ]) {
      expect(decodeCredential(secretTarget, JSON.stringify(object))).toEqual({
        credential: SECRET,
        format: { kind: 'json', object },
      });
    }
  });

  it('reads private_key for a private_key_jwt target', () => {
    const pem = '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n';
    expect(decodeCredential(keyTarget, JSON.stringify({ private_key: pem })).credential).toBe(pem);
    expect(decodeCredential(keyTarget, pem).credential).toBe(pem);
  });

  it.each([
    ['another client_id', { client_id: 'SomeOther', client_secret: SECRET }, 'names client_id "SomeOther"'],
    ['no client_secret', { secret: SECRET }, 'JSON object without a "client_secret" string'],
    ['an empty client_secret', { client_secret: '' }, 'without a "client_secret" string'],
  ])('refuses JSON with %s, naming the secret and the fix but never the value', (_, object, expected) => {
    const message = messageOf(() => decodeCredential(secretTarget, JSON.stringify(object)));
    expect(message).toContain(expected);
    expect(message).toContain('"prod/billing"');
    expect(message).toContain('"client_id": "Zx81billing"');
    expect(message).not.toContain(SECRET);
  });

  it('refuses a value that starts like JSON but is not an object', () => {
    const message = messageOf(() => decodeCredential(secretTarget, `{"client_secret": "${SECRET}"`));
    expect(message).toContain('not a JSON object');
    expect(message).not.toContain(SECRET);
    expect(() => decodeCredential(secretTarget, `[1]`)).not.toThrow();
  });
});

describe('encodeCredential', () => {
  it('writes the form it is given, keeping the other keys and their order', () => {
    expect(encodeCredential(secretTarget, 'new', { kind: 'bare' })).toBe('new');
    const object = { client_id: 'Zx81billing', client_secret: 'old', audience: 'a' };
    expect(encodeCredential(secretTarget, 'new', { kind: 'json', object })).toBe(
      '{"client_id":"Zx81billing","client_secret":"new","audience":"a"}',
    );
    expect(encodeCredential(keyTarget, 'pem', { kind: 'json', object: { a: 1 } })).toBe(
      '{"a":1,"private_key":"pem"}',
    );
  });
});

/** Versions in memory, labels as AWS moves them: enough to watch what the codec reads and writes. */
const memoryStore = (initial: Record<string, string>) => {
  const versions = new Map<string, { secretId: string; value: string; stages: StagingLabel[] }>();
  for (const [secretId, value] of Object.entries(initial))
    versions.set(`${secretId}-v0`, { secretId, value, stages: ['AWSCURRENT'] });
  const view = (id: string): SecretVersion | undefined => {
    const v = versions.get(id);
    return v && { versionId: id, value: v.value, stages: v.stages };
  };
  const store: SecretStore = {
    get: (secretId, stage = 'AWSCURRENT') =>
      Promise.resolve(
        view([...versions].find(([, v]) => v.secretId === secretId && v.stages.includes(stage))?.[0] ?? ''),
      ),
    getVersion: (_, versionId) => Promise.resolve(view(versionId)),
    describe: () => Promise.resolve({}),
    putPending: (secretId, token, value) => {
      versions.set(token, { secretId, value, stages: ['AWSPENDING'] });
      return Promise.resolve();
    },
    moveStage: () => Promise.resolve(),
  };
  return { store, raw: (id: string) => versions.get(id)?.value };
};

describe('credentialSecretStore', () => {
  it('hands out the credential alone and writes a new version in the form AWSCURRENT has', async () => {
    const json = JSON.stringify({ client_id: 'Zx81billing', client_secret: SECRET });
    const { store, raw } = memoryStore({
      'prod/billing': json,
      'prod/reports': 'bare-pem',
      other: '{"x":1}',
    });
    const secrets = credentialSecretStore(store, [secretTarget, keyTarget]);
    expect((await secrets.get('prod/billing'))?.value).toBe(SECRET);
    await secrets.putPending('prod/billing', 't1', 'fresh');
    expect(raw('t1')).toBe('{"client_id":"Zx81billing","client_secret":"fresh"}');
    expect((await secrets.getVersion('prod/billing', 't1'))?.value).toBe('fresh');
    await secrets.putPending('prod/reports', 't2', 'new-pem');
    expect(raw('t2')).toBe('new-pem');
    // Not a rotation target: passed through untouched.
    expect((await secrets.get('other'))?.value).toBe('{"x":1}');
    await secrets.putPending('other', 't3', 'as-is');
    expect(raw('t3')).toBe('as-is');
  });
});
