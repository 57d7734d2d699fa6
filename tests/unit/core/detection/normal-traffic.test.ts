import { describe, expect, it } from 'vitest';
import { brief, createWorld, later } from './world.js';

/**
 * The other half of every detection's test: a tenant's ordinary traffic (logins with a few wrong
 * passwords, token exchanges, MFA, signups, silent auth, profile edits) opens nothing, with or
 * without a baseline, at any minute of the day.
 */
describe('ordinary traffic', () => {
  it('opens nothing on a tenant with no history yet (no baseline)', () => {
    const world = createWorld();
    world.normal(10);
    expect(brief(world.detector().evaluate([]))).toEqual([]);
  });

  it('opens nothing over three hours, evaluated every minute of the last hour', () => {
    const world = createWorld();
    world.normal(180);
    const opened = [];
    for (let m = -60; m <= 0; m++) {
      const detector = world.detector({ now: () => later(m) });
      opened.push(...brief(detector.evaluate([])));
    }
    expect(opened).toEqual([]);
  });
});

describe("the bot's own traffic", () => {
  const worker = { client_id: 'Worker000000000000000001', client_name: 'billing-worker' };
  const ownTest = { ...worker, user_agent: 'auth0-oncall/1 node', description: 'Unauthorized' };

  it('opens nothing for its own failed test token requests, however many', () => {
    const world = createWorld();
    world.normal(90);
    world.add('feccft', 1, 40, ownTest);
    expect(brief(world.detector().evaluate([]))).toEqual([]);
  });

  it("leaves its own failures out of a real incident's numbers and says what it did", () => {
    const world = createWorld();
    world.normal(90);
    world.add('feccft', 1, 12, { ...worker, user_agent: 'Go-http-client/1.1', description: 'Unauthorized' });
    world.add('feccft', 1, 30, ownTest);
    const [decision] = world.detector().evaluate([]);
    expect(decision).toMatchObject({ kind: 'open', signal: 'm2m_token_failures', severity: 'high' });
    if (decision?.kind !== 'open') throw new Error('no card');
    expect(decision.evidence.failures).toBe(12);
    expect(decision.evidence.summary).toMatch(/auth0-oncall itself caused 30 of these events/);
    expect(JSON.stringify(decision.evidence.topUserAgents)).not.toContain('auth0-oncall');
  });
});

describe('suspects', () => {
  const worker = { client_id: 'Worker000000000000000001', client_name: 'billing-worker' };
  const sapi = (path: string, method = 'patch') => ({
    client_id: 'DashAdmin000000000000001',
    description: 'API operation',
    details: { request: { method, path, body: {} } },
  });

  it('never names a user-profile edit, and ranks a change to the failing client first', () => {
    const world = createWorld();
    world.normal(90);
    world.add('sapi', 9, 1, sapi(`/api/v2/clients/${worker.client_id}`));
    world.add('sapi', 3, 1, sapi('/api/v2/users/auth0|user7'));
    world.add('sapi', 2, 1, sapi('/api/v2/email-templates/verify_email'));
    world.add('feccft', 1, 12, { ...worker, description: 'Unauthorized' });
    const [decision] = world.detector().evaluate([]);
    if (decision?.kind !== 'open') throw new Error('no card');
    const whats = decision.evidence.suspects.map((s) => s.what);
    expect(whats[0]).toBe(`PATCH /api/v2/clients/${worker.client_id}`);
    expect(whats).toContain('PATCH /api/v2/email-templates/verify_email');
    expect(whats.join(' ')).not.toContain('/api/v2/users/');
  });
});

describe('a backlog drained after the first evaluation', () => {
  it('decides afterwards exactly as a detector that saw the whole history at once', () => {
    const world = createWorld();
    world.normal(120, 110);
    const early = world.detector();
    expect(brief(early.evaluate([]))).toEqual([]);
    world.normal(109, 0);
    world.add('fu', 1, 40, (i) => ({
      connection: 'Username-Password-Authentication',
      ip: `203.0.113.${String(i % 4)}`,
      user_name: `victim${String(i)}@example.com`,
    }));
    const fresh = world.detector().evaluate([]);
    expect(fresh.length).toBeGreaterThan(0);
    expect(early.evaluate([])).toEqual(fresh);
  });
});
