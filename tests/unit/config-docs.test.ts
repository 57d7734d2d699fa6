/**
 * README's configuration table, .env.example and the schema in src/config.ts describe the same
 * variables with the same defaults: a variable added, renamed or given a new default in one of
 * them fails here until the other two say so too.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configDefaults, configVariables } from '../../src/config.js';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

/** README's configuration table: each row's variables (first cell) and the whole row's text. */
const readmeRows = (readme: string): Array<{ variables: string[]; text: string }> => {
  const section = /\n## Configuration\n([\s\S]*?)\n## /.exec(readme)?.[1] ?? '';
  return section
    .split('\n')
    .filter((line) => /^\|\s*`/.test(line))
    .map((line) => ({
      variables: [...(line.split('|')[1] ?? '').matchAll(/`([A-Z0-9_]+)`/g)].map((m) => m[1] ?? ''),
      text: line,
    }));
};

/** Each variable in .env.example with the comment lines directly above it. */
const exampleComments = (example: string): Map<string, string> => {
  const lines = example.split('\n');
  const out = new Map<string, string>();
  lines.forEach((line, i) => {
    const name = /^([A-Z0-9_]+)=/.exec(line)?.[1];
    if (!name) return;
    const comment: string[] = [];
    for (let j = i - 1; j >= 0 && lines[j]?.startsWith('# ') === true; j -= 1)
      comment.unshift(lines[j] ?? '');
    out.set(name, comment.join(' '));
  });
  return out;
};

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** `value` as a whole token: 30 is not found in 300, nor 0 in 0.5. */
const mentions = (text: string, value: string | number) =>
  new RegExp(`(?<![\\w.-])${escape(String(value))}(?![\\w-]|\\.\\w)`).test(text);

const readme = read('README.md');
const rows = readmeRows(readme);
const comments = exampleComments(read('.env.example'));
const defaults: Record<string, string | number> = configDefaults;

describe('README, .env.example and the config schema', () => {
  it('document exactly the variables the schema reads', () => {
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.flatMap((r) => r.variables).sort()).toEqual([...configVariables].sort());
    expect([...comments.keys()].sort()).toEqual([...configVariables].sort());
  });

  it.each(Object.entries(configDefaults))('state the default of %s (%s) in both', (name, value) => {
    expect(configVariables).toContain(name);
    const row = rows.find((r) => r.variables.includes(name));
    expect(row?.text, `README's row for ${name}`).toMatch(/default/);
    expect(mentions(row?.text ?? '', value), `README's row for ${name} names ${String(value)}`).toBe(true);
    const comment = comments.get(name) ?? '';
    expect(comment, `.env.example's comment for ${name}`).toMatch(/default/);
    expect(mentions(comment, value), `.env.example's comment for ${name} names ${String(value)}`).toBe(true);
  });

  it('say that a variable without a default is unset, optional or required', () => {
    for (const name of configVariables.filter((n) => !(n in defaults))) {
      const row = rows.find((r) => r.variables.includes(name));
      expect(row?.text, name).toMatch(/\|\s*(yes|no|one of|with )/);
    }
  });

  it('finds a default only as a whole value', () => {
    expect(mentions('default 300', 30)).toBe(false);
    expect(mentions('(2–3600, default 30).', 30)).toBe(true);
    expect(mentions('default `0.0.0.0:3000`', 3000)).toBe(true);
    expect(mentions('default 0.5', 0)).toBe(false);
  });
});
