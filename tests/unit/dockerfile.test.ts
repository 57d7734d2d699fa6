import { existsSync, readFileSync } from 'node:fs';
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';
import { describe, expect, it } from 'vitest';
import { appNodeFlags } from '../../sandbox/app-process.js';

// No Docker engine runs here, so the Dockerfile is parsed and checked instead of built.
const root = new URL('../../', import.meta.url);
const text = readFileSync(new URL('Dockerfile', root), 'utf8');
const dockerfile = DockerfileParser.parse(text);
const instructions = dockerfile.getInstructions();
const stages = dockerfile.getFROMs();
const runtimeStart = stages.at(-1)?.getRange().start.line ?? 0;
const runtime = instructions.filter((i) => i.getRange().start.line >= runtimeStart);
// The instruction's whole text after its keyword, flags included, continuations folded.
const args = (i: Instruction) =>
  i
    .getTextContent()
    .replace(/\\\n/g, ' ')
    .replace(/^\S+\s+/, '')
    .replace(/\s+/g, ' ')
    .trim();
const find = (list: Instruction[], keyword: string) => list.filter((i) => i.getKeyword() === keyword);

describe('Dockerfile', () => {
  it('has no syntax or instruction errors', () => {
    const problems = validate(text).filter((d) => d.severity === 1);
    expect(problems.map((d) => d.message)).toEqual([]);
  });

  it('is multi-stage, on Node 24 slim', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const from of stages) expect(from.getImage()).toMatch(/^node:24(\.\d+)*-slim$/);
  });

  it('installs only production dependencies in the runtime stage and copies the build from the build stage', () => {
    expect(find(runtime, 'RUN').map(args).join('\n')).toMatch(/npm ci --omit=dev/);
    expect(find(runtime, 'COPY').map(args)).toContain('--from=build /app/dist ./dist');
  });

  it('leaves the workspace packages (the fakes) out of the image', () => {
    // npm ci links only the workspaces it finds on disk: with packages/ out of the build context,
    // the runtime stage installs the production dependencies and nothing the tests need.
    const ignored = readFileSync(new URL('.dockerignore', root), 'utf8')
      .split('\n')
      .map((l) => l.trim());
    expect(ignored).toContain('packages');
    const sources = find(instructions, 'COPY')
      .filter((c) => !args(c).startsWith('--from'))
      .flatMap((c) => args(c).split(/\s+/).slice(0, -1));
    expect(sources.filter((source) => /^(\.\/)?(packages|tests)(\/|$)/.test(source))).toEqual([]);
  });

  it('runs as a non-root user, with /data as a volume holding the database', () => {
    const users = find(runtime, 'USER').map(args);
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)).not.toMatch(/^(root|0)(:|$)/);
    expect(find(runtime, 'VOLUME').map(args).join(' ')).toContain('/data');
    expect(find(runtime, 'ENV').map(args).join(' ')).toMatch(/DATABASE_PATH=\/data\//);
  });

  it('checks health on /healthz and starts the built app as npm start does', () => {
    const healthcheck = find(runtime, 'HEALTHCHECK').map(args).join(' ');
    expect(healthcheck).toContain('/healthz');
    const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as {
      scripts: { start: string };
    };
    const cmd = find(runtime, 'CMD').map(args).at(-1) ?? '';
    const entry = /dist\/src\/main\.js/.exec(pkg.scripts.start)?.[0];
    expect(entry).toBeDefined();
    expect(cmd).toContain(entry);
  });

  it('copies only files that exist in the repository', () => {
    for (const copy of find(instructions, 'COPY').filter((c) => !args(c).startsWith('--from'))) {
      const sources = args(copy).split(/\s+/).slice(0, -1);
      for (const source of sources) expect(existsSync(new URL(source, root)), `${source} exists`).toBe(true);
    }
  });

  it('starts the app with the same Node flags as npm start, the sandbox and the benchmarks', () => {
    const cmd = find(runtime, 'CMD').at(-1);
    expect(cmd && JSON.parse(args(cmd))).toEqual(['node', ...appNodeFlags, 'dist/src/main.js']);
    const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as {
      scripts: { start: string };
    };
    expect(pkg.scripts.start).toBe(['node', ...appNodeFlags, 'dist/src/main.js'].join(' '));
  });
});
