import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  buildCatalogue,
  coverage,
  DATA_PATH,
  DOC_PATH,
  generate,
  readSchemaCodes,
  renderDoc,
  SCHEMA_PATH,
} from '../../../scripts/generate-log-catalogue.js';
import { SIGNAL_GROUPS } from '../../../src/core/detection/groups.js';
import type { SignalGroup } from '../../../src/core/detection/rules.js';

const schemaCodes = () => readSchemaCodes(readFileSync(SCHEMA_PATH, 'utf8'));

describe('scripts/generate-log-catalogue.ts', () => {
  it('has generated the committed catalogue and docs/log-codes.md from the current sources and detections', async () => {
    // Stale after a detection or a classification changed: run `npx tsx scripts/generate-log-catalogue.ts`.
    const { data, doc } = await generate();
    expect(readFileSync(DATA_PATH, 'utf8')).toBe(data);
    expect(readFileSync(DOC_PATH, 'utf8')).toBe(doc);
  });

  it('refuses to build when Auth0 documents a code the classification does not cover', () => {
    const codes = schemaCodes();
    codes.set('brand_new_failed', 'Something new failed');
    expect(() => buildCatalogue(codes)).toThrow(/brand_new_failed: documented but not classified/);
  });

  it('names the detection that reads each signal, from the signal groups it is given', () => {
    const entries = buildCatalogue(schemaCodes());
    const reuse: SignalGroup = {
      signal: 'refresh_token_reuse',
      failures: ['refresh_token_reuse'],
      rule: 'count',
      scoping: 'per_scope',
      levels: { high: 1 },
    };
    const without = renderDoc(
      entries,
      SIGNAL_GROUPS.filter((g) => g.signal !== 'refresh_token_reuse'),
    );
    const withIt = renderDoc(entries, [...SIGNAL_GROUPS, reuse]);
    const ferrt = (doc: string) => doc.split('\n').find((l) => l.startsWith('| `ferrt` |'));
    expect(ferrt(without)).toMatch(/no detection reads this signal yet \|$/);
    expect(ferrt(withIt)).toMatch(/`refresh_token_reuse` \|$/);
    expect(ferrt(withIt)).not.toMatch(/ignored/);
    const fsa = renderDoc(entries, SIGNAL_GROUPS)
      .split('\n')
      .find((l) => l.startsWith('| `fsa` |'));
    expect(fsa).toMatch(/ignored on purpose: routine: silent auth/);
    expect(coverage(entries, [...SIGNAL_GROUPS, reuse]).detected).toBeGreaterThan(
      coverage(
        entries,
        SIGNAL_GROUPS.filter((g) => g.signal !== 'refresh_token_reuse'),
      ).detected,
    );
  });
});
