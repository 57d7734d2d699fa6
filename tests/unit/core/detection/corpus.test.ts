import { describe, expect, it } from 'vitest';
import { loadScenario, scenarioEntries, scenarioNames } from '../../../helpers/scenarios.js';
import { createWorld, NOW } from './world.js';

/**
 * Every scenario of the detection corpus (tests/fixtures/auth0-scenarios), replayed beside two
 * hours of ordinary traffic, opens exactly the cards it names — no fewer, no more.
 */
describe('the detection corpus', () => {
  const names = scenarioNames();

  it('has scenarios', () => {
    expect(names.length).toBeGreaterThan(0);
  });

  it.each(names)('%s opens exactly its cards beside ordinary traffic', (name) => {
    const scenario = loadScenario(name);
    const world = createWorld();
    world.normal(120);
    world.raw(scenarioEntries(scenario, NOW.getTime()));
    const opened = world
      .detector()
      .evaluate([])
      .flatMap((d) =>
        d.kind === 'open' ? [{ signal: d.signal, severity: d.severity, title: d.title }] : [],
      );
    const expected = scenario.expect.cards;
    expect(opened.map((c) => c.signal).sort()).toEqual(expected.map((c) => c.signal).sort());
    for (const card of expected) {
      const match = opened.find((c) => c.signal === card.signal);
      expect(match?.severity, `${card.signal} severity`).toBe(card.severity);
      expect(match?.title, `${card.signal} title`).toMatch(new RegExp(card.title));
    }
  });
});
