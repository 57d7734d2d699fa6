import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The detection corpus in tests/fixtures/auth0-scenarios (see its README for the format). */

const DIR = fileURLToPath(new URL('../fixtures/auth0-scenarios/', import.meta.url));

const scenarioSchema = z.object({
  name: z.string().min(1),
  about: z.string().min(1),
  events: z
    .array(z.looseObject({ at: z.number().max(0), log_id: z.string().min(1), type: z.string().min(1) }))
    .min(1),
  expect: z.object({
    cards: z.array(
      z.object({
        signal: z.string().min(1),
        severity: z.enum(['info', 'low', 'medium', 'high']),
        title: z.string().min(1),
      }),
    ),
  }),
});

export type Scenario = z.infer<typeof scenarioSchema>;

export const scenarioNames = (): string[] =>
  readdirSync(DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();

export const loadScenario = (name: string): Scenario => {
  const scenario = scenarioSchema.parse(JSON.parse(readFileSync(`${DIR}${name}.json`, 'utf8')));
  if (scenario.name !== name) throw new Error(`${name}.json names itself ${scenario.name}`);
  const ids = new Set(scenario.events.map((e) => e.log_id));
  if (ids.size !== scenario.events.length) throw new Error(`${name}.json repeats a log_id`);
  return scenario;
};

/** The scenario's entries as raw Auth0 log entries, dated relative to `endMs`. */
export const scenarioEntries = (scenario: Scenario, endMs: number): Array<Record<string, unknown>> =>
  scenario.events.map(({ at, ...entry }) => ({ ...entry, date: new Date(endMs + at * 1000).toISOString() }));
