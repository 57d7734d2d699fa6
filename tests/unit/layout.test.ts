/**
 * The repository's boundaries that no compiler sees: tests/ is a leaf (sandbox, bench, src and the
 * packages never import it), and a workspace package imports only its own files and the
 * dependencies its package.json declares, so it works wherever npm links it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const SOURCE = /\.(c|m)?(t|j)sx?$/;

const sourceFiles = (dir: string): string[] =>
  readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => SOURCE.test(file) && !file.split(sep).includes('node_modules'))
    .map((file) => join(dir, file));

/** Every module specifier a file names: static and dynamic imports, re-exports and require(). */
const specifiers = (text: string): string[] =>
  ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);

/** Specifiers of `file` (relative to the root) that reach into tests/. */
const intoTests = (file: string, text: string): string[] =>
  specifiers(text).filter((spec) => {
    if (spec.startsWith('.')) {
      const target = relative(root, resolve(root, dirname(file), spec));
      return target === 'tests' || target.startsWith(`tests${sep}`);
    }
    return spec.includes('/tests/') || spec.startsWith('tests/');
  });

/** The npm package a bare specifier names: `@scope/name` or `name`, without its subpath. */
const packageName = (spec: string): string =>
  spec
    .split('/')
    .slice(0, spec.startsWith('@') ? 2 : 1)
    .join('/');

describe('nothing outside tests/ imports from tests/', () => {
  const files = ['src', 'packages', 'sandbox', 'bench'].flatMap(sourceFiles);

  it('holds for src/, packages/, sandbox/ and bench/', () => {
    expect(files.length).toBeGreaterThan(100);
    const offending = files.flatMap((file) =>
      intoTests(file, readFileSync(join(root, file), 'utf8')).map((spec) => `${file}: ${spec}`),
    );
    expect(offending).toEqual([]);
  });

  it('recognises every way of naming tests/', () => {
    const text = [
      "import { validEnv } from '../tests/helpers/env.js';",
      "import type {\n  World,\n} from '../tests/helpers/world.js';",
      "export { x } from '../tests/x.js';",
      "const m = await import('../tests/dynamic.js');",
      "import { ok } from './local.js';",
      "import { FakeSlack } from '@auth0-oncall/fakes/slack';",
    ].join('\n');
    expect(intoTests('bench/example.ts', text)).toEqual([
      '../tests/helpers/env.js',
      '../tests/helpers/world.js',
      '../tests/x.js',
      '../tests/dynamic.js',
    ]);
    expect(intoTests('sandbox/deep/example.ts', "import '../../tests/side-effect.js';")).toEqual([
      '../../tests/side-effect.js',
    ]);
    expect(intoTests('sandbox/example.ts', "import '../sandbox/tests-like.js';")).toEqual([]);
  });
});

describe('workspace packages', () => {
  const packages = readdirSync(join(root, 'packages'));

  it.each(packages)('packages/%s imports only its own files and its declared dependencies', (name) => {
    const dir = join('packages', name);
    const manifest = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as Record<
      string,
      Record<string, string> | undefined
    >;
    const declared = new Set(
      ['dependencies', 'devDependencies', 'peerDependencies'].flatMap((k) => Object.keys(manifest[k] ?? {})),
    );
    const problems = sourceFiles(dir).flatMap((file) =>
      specifiers(readFileSync(join(root, file), 'utf8')).flatMap((spec) => {
        if (spec.startsWith('node:')) return [];
        if (spec.startsWith('.')) {
          const target = relative(join(root, dir), resolve(root, dirname(file), spec));
          return target.startsWith('..') ? [`${file}: ${spec} leaves the package`] : [];
        }
        return declared.has(packageName(spec)) ? [] : [`${file}: ${spec} is not in its package.json`];
      }),
    );
    expect(problems).toEqual([]);
  });
});
