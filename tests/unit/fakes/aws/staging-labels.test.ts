import {
  InvalidParameterException,
  PutSecretValueCommand,
  ResourceNotFoundException,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorOf, type Fixture, SECRET, startFixture, v } from './helpers.js';

let f: Fixture;

beforeEach(async () => {
  f = await startFixture();
  f.fake.seed(SECRET, 'first', { versionId: v(1) });
  f.fake.putVersion(SECRET, 'candidate', ['AWSPENDING'], v(2));
});

afterEach(async () => {
  await f.close();
});

const move = (stage: string, to?: string, from?: string) =>
  f.client.send(
    new UpdateSecretVersionStageCommand({
      SecretId: SECRET,
      VersionStage: stage,
      ...(to === undefined ? {} : { MoveToVersionId: to }),
      ...(from === undefined ? {} : { RemoveFromVersionId: from }),
    }),
  );

describe('FakeSecretsManager staging labels', () => {
  it('puts AWSPREVIOUS on the version AWSCURRENT leaves', async () => {
    await move('AWSCURRENT', v(2), v(1));
    expect(f.fake.stagesOf(SECRET)).toEqual({
      [v(1)]: ['AWSPREVIOUS'],
      [v(2)]: ['AWSPENDING', 'AWSCURRENT'],
    });
  });

  it('rolls back by moving AWSCURRENT to the AWSPREVIOUS version, which swaps the two labels', async () => {
    await move('AWSCURRENT', v(2), v(1));
    await move('AWSPENDING', undefined, v(2));
    await move('AWSCURRENT', v(1), v(2));
    expect(f.fake.stagesOf(SECRET)).toEqual({ [v(1)]: ['AWSCURRENT'], [v(2)]: ['AWSPREVIOUS'] });
  });

  it('refuses to move a label that sits on another version not named in RemoveFromVersionId', async () => {
    const error = await errorOf(move('AWSCURRENT', v(2)));
    expect(error).toBeInstanceOf(InvalidParameterException);
    expect(error).toMatchObject({ message: expect.stringContaining(v(1)) });
    expect(await errorOf(move('AWSCURRENT', v(2), v(2)))).toBeInstanceOf(InvalidParameterException);
    expect(f.fake.stagesOf(SECRET)).toEqual({ [v(1)]: ['AWSCURRENT'], [v(2)]: ['AWSPENDING'] });
  });

  it('refuses a repeat of a move that already happened, since the label left RemoveFromVersionId', async () => {
    await move('AWSCURRENT', v(2), v(1));
    expect(await errorOf(move('AWSCURRENT', v(2), v(1)))).toBeInstanceOf(InvalidParameterException);
    await move('AWSPENDING', undefined, v(2));
    expect(await errorOf(move('AWSPENDING', undefined, v(2)))).toBeInstanceOf(InvalidParameterException);
    expect(f.fake.stagesOf(SECRET)).toEqual({ [v(1)]: ['AWSPREVIOUS'], [v(2)]: ['AWSCURRENT'] });
  });

  it('accepts moving a label onto the version that already has it', async () => {
    await move('AWSPENDING', v(2));
    expect(f.fake.stagesOf(SECRET)).toEqual({ [v(1)]: ['AWSCURRENT'], [v(2)]: ['AWSPENDING'] });
  });

  it('never leaves a secret without AWSCURRENT, and needs a version to move to or from', async () => {
    expect(await errorOf(move('AWSCURRENT', undefined, v(1)))).toBeInstanceOf(InvalidParameterException);
    expect(await errorOf(move('AWSPENDING'))).toBeInstanceOf(InvalidParameterException);
    expect(f.fake.versionWith(SECRET)).toBe(v(1));
  });

  it('reports a move to a version that does not exist as ResourceNotFoundException', async () => {
    expect(await errorOf(move('AWSPENDING', v(7), v(2)))).toBeInstanceOf(ResourceNotFoundException);
  });

  it('deprecates a version whose last label is removed, and hides it from describe', async () => {
    await move('AWSPENDING', undefined, v(2));
    expect(f.fake.stagesOf(SECRET)).toEqual({ [v(1)]: ['AWSCURRENT'] });
    expect(f.fake.versions(SECRET).map((x) => x.deprecated)).toEqual([false, true]);
  });

  it('keeps every label on at most one version and exactly one AWSCURRENT through any sequence of calls', async () => {
    // A fixed pseudo-random walk over puts and moves, valid or not: the invariant must hold after each.
    let seed = 7;
    const next = (n: number): number => {
      // mulberry32: small, and its low bits are as random as its high ones.
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return (((t ^ (t >>> 14)) >>> 0) % 1_000_003) % n;
    };
    const labels = ['AWSCURRENT', 'AWSPENDING', 'AWSPREVIOUS', 'CUSTOM'];
    let versions = 2;
    let moved = 0;
    for (let step = 0; step < 60; step += 1) {
      const label = labels[next(labels.length)] ?? 'AWSCURRENT';
      if (next(4) === 0) {
        versions += 1;
        const input = {
          SecretId: SECRET,
          ClientRequestToken: v(versions),
          SecretString: `value-${versions}`,
        };
        await f.client.send(new PutSecretValueCommand({ ...input, VersionStages: [label] }));
      } else {
        const to = next(3) === 0 ? undefined : v(1 + next(versions));
        const holder = f.fake.versionWith(SECRET, label);
        const from = next(3) === 0 ? v(1 + next(versions)) : holder;
        moved += await move(label, to, from).then(
          () => 1,
          () => 0,
        );
      }
      const all = f.fake.versions(SECRET).flatMap((x) => x.stages);
      expect(new Set(all).size, `duplicate label after step ${step}`).toBe(all.length);
      expect(all.filter((l) => l === 'AWSCURRENT')).toHaveLength(1);
    }
    expect(moved, 'the walk must include moves that were accepted').toBeGreaterThan(5);
  });
});
