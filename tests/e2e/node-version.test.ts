import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { builtEntry, projectRoot } from '../../sandbox/app-process.js';
import { nodeVersionProblem } from '../../src/core/runtime/node-version.js';

/** A Node older than the minimum on this machine (Debian's, typically), to start the entries with. */
const oldNode = ['/usr/bin/node', '/usr/local/bin/node', '/bin/node'].find((path) => {
  if (!existsSync(path)) return false;
  const version = execFileSync(path, ['-p', 'process.versions.node'], { encoding: 'utf8' }).trim();
  return nodeVersionProblem(version) !== undefined;
});
if (!oldNode) console.warn('node-version e2e: no Node older than the minimum on this machine; skipped');

const run = (args: string[]) =>
  spawnSync(oldNode ?? 'node', args, { cwd: projectRoot, encoding: 'utf8', env: { PATH: process.env.PATH } });

describe.skipIf(!oldNode)('an entry point started with a Node that is too old', () => {
  it('the app exits 78 with one line naming the Node it needs, before loading anything else', () => {
    const { status, stdout, stderr } = run([builtEntry]);
    expect(status).toBe(78);
    expect(stdout).toBe('');
    expect(stderr).toMatch(
      /^auth0-oncall: cannot start: Node \d+\.\d+\.\d+ is too old: auth0-oncall needs Node 22\.12\.0 or newer .*\n$/,
    );
  });

  it('the sandbox exits 78 with the same line instead of a stack trace', () => {
    const tsx = `${projectRoot}node_modules/tsx/dist/cli.mjs`;
    const { status, stderr } = run([tsx, 'sandbox/main.ts']);
    expect(status).toBe(78);
    expect(stderr).toMatch(/^sandbox: Node \d+\.\d+\.\d+ is too old: .*\(README "Node version"\)\n$/);
  });
});
