import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise, format, type ICruiseResult, type IViolation } from 'dependency-cruiser';
import extractDepcruiseConfig from 'dependency-cruiser/config-utl/extract-depcruise-config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The rules of .dependency-cruiser.cjs, run on a small tree that keeps every boundary but for one
// deliberate violation per rule, so a rule that stopped matching fails here.
const root = fileURLToPath(new URL('../../', import.meta.url));

/** Imports the Layout allows: none of these files may be reported. */
const allowed: Record<string, string> = {
  'src/errors.ts': `export class AppError extends Error {}\n`,
  'src/config.ts': `export interface Config { readonly port: number }\n`,
  'src/core/incidents/model.ts': [
    `import { join } from 'node:path';`,
    `import { z } from 'zod';`,
    `import { AppError } from '../../errors.js';`,
    `export const incident = z.object({ id: z.string() });`,
    `export const fail = () => new AppError(join('a', 'b'));`,
  ].join('\n'),
  'src/core/incidents/ports.ts': `import type { fail } from './model.js';\nexport type Fail = typeof fail;\n`,
  'src/resilience/index.ts': `export type Policy = <T>(call: () => Promise<T>) => Promise<T>;\n`,
  'src/slack/app.ts': [
    `import type { Policy } from '../resilience/index.js';`,
    `import type { Fail } from '../core/incidents/ports.js';`,
    `export interface SlackMetrics { countError(code: string): void }`,
    `export const createSlackApp = (policy: Policy, fail: Fail) => ({ policy, fail });`,
  ].join('\n'),
  'src/metrics/app-metrics.ts': `import type { SlackMetrics } from '../slack/app.js';\nexport const slack: SlackMetrics = { countError: () => {} };\n`,
  'src/store/sqlite-incident-store.ts': `import type { Fail } from '../core/incidents/ports.js';\nexport type Store = Fail;\n`,
  'src/wiring/stores.ts': [
    `import type { Store } from '../store/sqlite-incident-store.js';`,
    `import { createSlackApp } from '../slack/app.js';`,
    `export const build = (store?: Store) => ({ store, createSlackApp });`,
  ].join('\n'),
  'src/app.ts': `import type { Config } from './config.js';\nimport { build } from './wiring/stores.js';\nexport const app = (config: Config) => ({ config, build });\n`,
  'src/main.ts': `import { app } from './app.js';\nimport { build } from './wiring/stores.js';\nexport { app, build };\n`,
  'tests/helpers/world.ts': `export const world = {};\n`,
};

/** One file per rule, each breaking exactly the boundary named in its key. */
const violating: Record<string, string> = {
  'src/core/detection/detector.ts': `import { createSlackApp } from '../../slack/app.js';\nexport const x = createSlackApp;\n`,
  'src/core/detection/sdk.ts': `import type { Policy } from 'cockatiel';\nexport type P = Policy;\n`,
  'src/core/cycle/first.ts': `import { second } from './second.js';\nexport const first = () => second;\n`,
  'src/core/cycle/second.ts': `import { first } from './first.js';\nexport const second = () => first;\n`,
  'src/slack/incident-listeners.ts': `import type { Store } from '../store/sqlite-incident-store.js';\nexport type S = Store;\n`,
  'src/auth0/tenant.ts': `export const tenant = {};\n`,
  'src/aws/secret-store.ts': `import { tenant } from '../auth0/tenant.js';\nexport const store = tenant;\n`,
  'src/metrics/slack-values.ts': `import { createSlackApp } from '../slack/app.js';\nexport const app = createSlackApp;\n`,
  'src/http/server.ts': `import { build } from '../wiring/stores.js';\nexport const server = build;\n`,
  'src/jobs/scheduler.ts': `import { world } from '../../tests/helpers/world.js';\nexport const scheduler = world;\n`,
  'src/store/codec.ts': `import { missing } from './missing.js';\nexport const codec = missing;\n`,
};

const dirs: string[] = [];
let result: ICruiseResult;

const cruiseTree = async (tree: Record<string, string>): Promise<ICruiseResult> => {
  const dir = mkdtempSync(join(tmpdir(), 'boundaries-'));
  dirs.push(dir);
  for (const [path, text] of Object.entries(tree)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  // zod and cockatiel resolve as they do in the repository.
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const config = await extractDepcruiseConfig(join(root, '.dependency-cruiser.cjs'));
  const cruised = await cruise(['src'], {
    baseDir: dir,
    validate: true,
    ruleSet: { forbidden: config.forbidden ?? [] },
    tsPreCompilationDeps: true,
    preserveSymlinks: true,
    doNotFollow: { path: 'node_modules' },
  });
  if (typeof cruised.output === 'string') throw new Error('expected a cruise result, not a report');
  return cruised.output;
};

const reportedIn = (cruised: ICruiseResult, from: string): { rule: string; to: string }[] =>
  cruised.summary.violations
    .filter((v: IViolation) => v.from === from)
    .map((v: IViolation) => ({ rule: v.rule.name, to: v.to }));

const reported = (from: string) => reportedIn(result, from);

beforeAll(async () => {
  result = await cruiseTree({ ...allowed, ...violating });
});

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('the boundary rules', () => {
  it('let core/ use core/, errors.ts, zod and node built-ins, adapters use resilience/, and wiring/ use everything', () => {
    const files = Object.keys(allowed);
    expect(result.summary.violations.filter((v) => files.includes(v.from))).toEqual([]);
  });

  it('stop core/ importing another folder of ours', () => {
    expect(reported('src/core/detection/detector.ts')).toContainEqual({
      rule: 'core-imports-only-core',
      to: 'src/slack/app.ts',
    });
  });

  it('stop core/ importing an SDK, even for a type', () => {
    expect(reported('src/core/detection/sdk.ts')).toContainEqual(
      expect.objectContaining({
        rule: 'core-imports-only-core',
        to: expect.stringMatching(/^node_modules\/cockatiel\//),
      }),
    );
  });

  it('stop a cycle inside core/', () => {
    expect(reported('src/core/cycle/first.ts')).toContainEqual({
      rule: 'no-circular-in-core',
      to: 'src/core/cycle/second.ts',
    });
  });

  it('stop slack/ importing store/', () => {
    expect(reported('src/slack/incident-listeners.ts')).toContainEqual({
      rule: 'slack-not-store',
      to: 'src/store/sqlite-incident-store.ts',
    });
  });

  it('stop one adapter importing another', () => {
    expect(reported('src/aws/secret-store.ts')).toEqual([
      { rule: 'adapters-not-each-other', to: 'src/auth0/tenant.ts' },
    ]);
  });

  it('let metrics/ name a type of slack/app.ts but not import its code', () => {
    expect(reported('src/metrics/slack-values.ts')).toEqual([
      { rule: 'adapters-not-each-other', to: 'src/slack/app.ts' },
    ]);
  });

  it('stop anything but app.ts and main.ts importing wiring/', () => {
    expect(reported('src/http/server.ts')).toEqual([
      { rule: 'only-wiring-knows-all', to: 'src/wiring/stores.ts' },
    ]);
  });

  it('stop app.ts building parts itself instead of ordering what wiring/ built', async () => {
    const cruised = await cruiseTree({
      ...allowed,
      'src/app.ts': `import { build } from './wiring/stores.js';\nimport type { Store } from './store/sqlite-incident-store.js';\nexport const app = (store: Store) => ({ store, build });\n`,
    });
    expect(reportedIn(cruised, 'src/app.ts')).toEqual([
      { rule: 'only-wiring-knows-all', to: 'src/store/sqlite-incident-store.ts' },
    ]);
  });

  it('stop src/ importing tests/', () => {
    expect(reported('src/jobs/scheduler.ts')).toEqual([
      { rule: 'no-tests-outside-tests', to: 'tests/helpers/world.ts' },
    ]);
  });

  it('stop an import that resolves to nothing', () => {
    expect(reported('src/store/codec.ts')).toEqual([{ rule: 'not-to-unresolvable', to: './missing.js' }]);
  });

  it('fail the run and say what to do instead', async () => {
    const report = await format(result, { outputType: 'err-long' });
    expect(report.exitCode).toBeGreaterThan(0);
    expect(report.output).toContain(
      'error adapters-not-each-other: src/aws/secret-store.ts → src/auth0/tenant.ts',
    );
    expect(report.output).toContain('move the shared type to a port in core/');
  });
});
