import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MINIMUM_NODE, nodeVersionProblem } from '../../../../src/core/runtime/node-version.js';

const read = (path: string) => readFileSync(new URL(`../../../../${path}`, import.meta.url), 'utf8');

describe('nodeVersionProblem', () => {
  it.each(['20.20.2', 'v20.20.2', '22.11.9', '18.0.0', '22'])('refuses Node %s in one line', (version) => {
    const problem = nodeVersionProblem(version);
    expect(problem).toContain(`Node ${version.replace(/^v/, '')} is too old`);
    expect(problem).toContain('needs Node 22.12.0 or newer');
    expect(problem).toContain('nodejs.org');
    expect(problem).not.toContain('\n');
  });

  it.each(['22.12.0', '22.12.1', '22.13.0', '23.0.0', '24.22.3', 'v24.0.0', '100.0.0'])(
    'accepts Node %s',
    (version) => {
      expect(nodeVersionProblem(version)).toBeUndefined();
    },
  );

  it('is the minimum package.json "engines", .npmrc, .ci/run and the README name', () => {
    const pkg = JSON.parse(read('package.json')) as { engines: { node: string } };
    expect(pkg.engines.node).toBe(`>=${MINIMUM_NODE}`);
    // engine-strict makes `npm ci` refuse an older Node with npm's own EBADENGINE message.
    expect(read('.npmrc')).toMatch(/^engine-strict=true$/m);
    const [major, minor] = MINIMUM_NODE.split('.');
    expect(read('.ci/run')).toContain(`a > ${major} || (a === ${major} && b >= ${minor})`);
    const tryIt = /## Try it in 1 minute\n([\s\S]*?)\n## /.exec(read('README.md'))?.[1] ?? '';
    expect(tryIt).toContain(`Node.js ${major}.${minor}`);
  });
});
