import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isAddressedToBot } from '../../../../src/core/agent/addressing.js';
import type { AgentTools } from '../../../../src/core/agent/agent-tools.js';
import { createIncidentFacts, factRequestOf } from '../../../../src/core/agent/incident-facts.js';
import type { AgentModel, AgentReply, AgentTurnRequest } from '../../../../src/core/agent/ports.js';
import { createThreadAgent, type ThreadQuestion } from '../../../../src/core/agent/thread-agent.js';
import type { Evidence } from '../../../../src/core/detection/model.js';
import { createRecheck } from '../../../../src/core/incidents/recheck.js';
import { classifyLog, parseLogEntry } from '../../../../src/core/logs/classification.js';
import { openDatabase, SqliteIncidentStore, type StoreDatabase } from '../../../../src/store/index.js';
import { SqliteLogStore } from '../../../../src/store/sqlite-log-store.js';

const BOT = 'botClient0001';
const CLIENT = 'billingWorker01';
const OTHER = 'otherClient0002';
const T0 = Date.parse('2026-03-10T12:00:00.000Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();
const NOW = new Date(T0 + 600_000);

let db: StoreDatabase;
beforeEach(() => {
  db = openDatabase({ path: ':memory:' });
});
afterEach(() => {
  db.close();
});

const evidence: Evidence = {
  window: { from: at(-300), to: at(0), minutes: 5 },
  failures: 200,
  rate: 40,
  topClients: [{ value: CLIENT, count: 200 }],
  suspects: [],
};

/**
 * An M2M incident opened at T0 (now is T0 + 10 min): failures until a rollback at T0 + 4 min,
 * acknowledged by U0DANA, with a secret change by an admin and a profile edit in the log store.
 */
const world = () => {
  const logs = new SqliteLogStore(db);
  const incidents = new SqliteIncidentStore(db);
  let seq = 0;
  const add = (seconds: number, fields: Record<string, unknown>) => {
    const parsed = parseLogEntry({ log_id: `l${++seq}`, date: at(seconds), ...fields });
    if (!parsed.ok) throw new Error(parsed.problem);
    db.transaction(() => logs.insert([classifyLog(parsed.entry, { botClientId: BOT })], 'poll', at(seconds)));
  };
  for (let s = -120; s < 240; s += 3)
    add(s, {
      type: 'feccft',
      client_id: CLIENT,
      client_name: 'acme-billing-worker',
      ip: s % 2 === 0 ? '198.51.100.7' : '198.51.100.8',
      description: 'Invalid client_secret',
    });
  add(30, { type: 'feccft', client_id: OTHER, client_name: 'other-app', ip: '203.0.113.99' });
  add(-60, {
    type: 'sapi',
    client_id: 'dashboardCli',
    user_name: 'admin@acme.example',
    details: { request: { method: 'PATCH', path: `/api/v2/clients/${CLIENT}` } },
  });
  add(100, {
    type: 'sapi',
    client_id: 'dashboardCli',
    details: { request: { method: 'PATCH', path: '/api/v2/users/auth0|42' } },
  });
  const { incident } = incidents.open({
    id: 'inc_m2m',
    signal: 'm2m_token_failures',
    scope: `client:${CLIENT}`,
    severity: 'high',
    title: 'M2M token failures for acme-billing-worker',
    at: at(0),
  });
  incidents.setSteps(
    incident.id,
    [
      { stepId: 's1', kind: 'guidance', title: 'Look at the client', body: '' },
      {
        stepId: 's2',
        kind: 'action',
        title: 'Roll back the client secret',
        body: '',
        action: 'rollback_client_secret',
      },
    ],
    at(0),
  );
  incidents.acknowledge(incident.id, 'U0DANA', at(60));
  incidents.appendEvent(incident.id, {
    at: at(230),
    kind: 'step_started',
    actor: 'U0DANA',
    detail: { stepId: 's2' },
  });
  incidents.appendEvent(incident.id, {
    at: at(240),
    kind: 'step_succeeded',
    actor: 'U0DANA',
    detail: {
      stepId: 's2',
      summary: 'Rolled back the secret of acme-billing-worker to the previous version',
    },
  });
  const recheck = createRecheck({ logs, incidents, now: () => NOW, windowMinutes: 5 });
  const facts = createIncidentFacts({ logs, recheck, now: () => NOW });
  const tools: AgentTools = {
    tenant: { searchLogs: () => Promise.resolve([]), listSigningKeys: () => Promise.resolve([]) },
    audit: { forIncident: () => [] },
    facts,
  };
  const ask = (question: string): ThreadQuestion => ({
    incident: incidents.get(incident.id)!,
    evidence,
    timeline: incidents.timeline(incident.id),
    steps: incidents.steps(incident.id),
    history: [],
    question,
  });
  return { tools, ask, incidents, incidentId: incident.id };
};

/** A model that answers from a script and records what it was sent. */
class ScriptedModel implements AgentModel {
  readonly name = 'scripted';
  readonly requests: AgentTurnRequest[] = [];
  constructor(private readonly replies: AgentReply[]) {}
  next(request: AgentTurnRequest): Promise<AgentReply> {
    this.requests.push(structuredClone(request));
    const reply = this.replies.shift();
    return reply === undefined ? Promise.reject(new Error('no reply scripted')) : Promise.resolve(reply);
  }
}

const SUMMARY_MARK = 'Steps on the card:';

describe('the thread agent without a model', () => {
  it('says who acknowledged and owns it, and who ran steps — not the whole summary', async () => {
    const w = world();
    const answer = await createThreadAgent({ tools: w.tools, now: () => NOW }).answer(
      w.ask('who acknowledged this?'),
    );
    expect(answer.text).toContain('Acknowledged by <@U0DANA> 9 min ago: they own it.');
    expect(answer.text).toContain('Steps were run by <@U0DANA>.');
    expect(answer.text).not.toContain(SUMMARY_MARK);
  });

  it('says who owns it now when someone took it over', async () => {
    const w = world();
    w.incidents.takeOver(w.incidentId, 'U0ERIN', at(120));
    const answer = await createThreadAgent({ tools: w.tools, now: () => NOW }).answer(
      w.ask('who owns this one?'),
    );
    expect(answer.text).toContain(
      'Acknowledged by <@U0DANA> 9 min ago; <@U0ERIN> took it over and owns it now.',
    );
  });

  it('says it stopped after the rollback and what it counted', async () => {
    const w = world();
    const answer = await createThreadAgent({ tools: w.tools, now: () => NOW }).answer(
      w.ask('is it still happening after the rollback?'),
    );
    expect(answer.text).toMatch(
      /^It has stopped\. Since step 2 \(Roll back the client secret\) 6 min ago: 0 failures/,
    );
    expect(answer.text).not.toMatch(/can't run/);
  });

  it('lists the tenant changes of the last hour from the log store, not only its own rollback, leaving out profile edits', async () => {
    const w = world();
    const answer = await createThreadAgent({ tools: w.tools, now: () => NOW }).answer(
      w.ask('what changed in the last hour?'),
    );
    expect(answer.text).toContain('In the last 60 min, 2 changes (newest first):');
    expect(answer.text).toContain(
      '• 6 min ago: step 2 (Roll back the client secret) ran, pressed by <@U0DANA>',
    );
    expect(answer.text).toContain(`• 11 min ago: PATCH /api/v2/clients/${CLIENT} by admin@acme.example`);
    expect(answer.text).toContain('(1 user-profile edit left out: they never cause this.)');
  });

  it("names the failing clients, IPs and reasons within the incident's scope only", async () => {
    const w = world();
    const answer = await createThreadAgent({ tools: w.tools, now: () => NOW }).answer(
      w.ask('which clients and IPs are failing?'),
    );
    expect(answer.text).toContain(`failures for client:${CLIENT} in the last 15 min`);
    expect(answer.text).toContain('• clients: acme-billing-worker (');
    expect(answer.text).toMatch(/• IPs: 198\.51\.100\.\d \(\d+\), 198\.51\.100\.\d/);
    expect(answer.text).toContain('• reasons: Invalid client_secret');
    expect(answer.text).not.toContain('other-app');
    expect(answer.text).not.toContain('203.0.113.99');
  });

  it('says what step N did, and that a step that is not there is not there', async () => {
    const w = world();
    const agent = createThreadAgent({ tools: w.tools, now: () => NOW });
    const two = await agent.answer(w.ask('what did step 2 do?'));
    expect(two.text).toContain(
      'Step 2, "Roll back the client secret", is an action with a button; it is pending.',
    );
    expect(two.text).toContain('• <@U0DANA> pressed it 6 min ago');
    expect(two.text).toContain('• it succeeded 6 min ago: Rolled back the secret of acme-billing-worker');
    expect((await agent.answer(w.ask('what did step 7 do?'))).text).toBe(
      'The card has 2 steps, so there is no step 7.',
    );
  });

  it('answers "run step 2" with the pointer to its button only', async () => {
    const w = world();
    const answer = await createThreadAgent({ tools: w.tools, now: () => NOW }).answer(w.ask('run step 2'));
    expect(answer.text).toMatch(/^_I can't run, confirm or retry steps myself\. Step 2/);
    expect(answer.text).not.toContain(SUMMARY_MARK);
  });
});

describe('the thread agent with a model', () => {
  const cases = [
    ['who acknowledged this?', { topic: 'ownership' }, 'Acknowledged by <@U0DANA>'],
    ['is it still happening?', { topic: 'still_happening' }, 'It has stopped.'],
    ['what changed in the last hour?', { topic: 'changes', minutes: 60 }, `PATCH /api/v2/clients/${CLIENT}`],
    ['which users or IPs are failing?', { topic: 'failing' }, '198.51.100.7'],
    ['what did step 2 do?', { topic: 'step', step: 2 }, 'it succeeded 6 min ago'],
  ] as const;
  for (const [question, input, fact] of cases) {
    it(`answers "${question}" from the incident_facts tool`, async () => {
      const w = world();
      const model = new ScriptedModel([
        { type: 'tool_calls', text: '', calls: [{ id: 'f', name: 'incident_facts', input }] },
        { type: 'text', text: 'answered' },
      ]);
      const answer = await createThreadAgent({ model, tools: w.tools, now: () => NOW }).answer(
        w.ask(question),
      );
      expect(answer).toMatchObject({ text: 'answered', usedTools: ['incident_facts'], degraded: false });
      expect(model.requests[0]?.tools.map((t) => t.name)).toContain('incident_facts');
      expect(JSON.stringify(model.requests[1]?.messages.at(-1))).toContain(JSON.stringify(fact).slice(1, -1));
    });
  }

  it("refuses a log search outside the incident's scope", async () => {
    const w = world();
    const searched: string[] = [];
    const tools: AgentTools = {
      ...w.tools,
      tenant: {
        searchLogs: (search) => {
          searched.push(search.q ?? '');
          return Promise.resolve([]);
        },
        listSigningKeys: () => Promise.resolve([]),
      },
    };
    const model = new ScriptedModel([
      {
        type: 'tool_calls',
        text: '',
        calls: [
          { id: 'a', name: 'recent_logs', input: { clientId: OTHER } },
          { id: 'b', name: 'recent_logs', input: { clientId: CLIENT } },
        ],
      },
      { type: 'text', text: 'ok' },
    ]);
    const answer = await createThreadAgent({ model, tools, now: () => NOW }).answer(w.ask('and other-app?'));
    expect(answer.usedTools).toEqual(['recent_logs']);
    expect(searched).toHaveLength(1);
    expect(searched[0]).toContain(CLIENT);
    expect(JSON.stringify(model.requests[1]?.messages.at(-1))).toContain(
      `clientId ${OTHER} is not part of this incident`,
    );
  });
});

describe('which questions are asked, and which messages are for the bot', () => {
  it('recognises the common questions', () => {
    expect(factRequestOf('who acknowledged this?')).toEqual({ topic: 'ownership' });
    expect(factRequestOf('who owns this one?')).toEqual({ topic: 'ownership' });
    expect(factRequestOf('is it still happening?')).toEqual({ topic: 'still_happening' });
    expect(factRequestOf('is it still failing?')).toEqual({ topic: 'still_happening' });
    expect(factRequestOf('what changed in the last hour?')).toEqual({ topic: 'changes', minutes: 60 });
    expect(factRequestOf('any changes in the past 20 min?')).toEqual({ topic: 'changes', minutes: 20 });
    expect(factRequestOf('which clients are failing?')).toEqual({ topic: 'failing' });
    expect(factRequestOf('what did step 3 do?')).toEqual({ topic: 'step', step: 3 });
    expect(factRequestOf('what should I do?')).toBeUndefined();
    // The whole picture, not one fact: the evidence-and-runbook summary answers it.
    expect(factRequestOf('what is going on?')).toBeUndefined();
  });

  it('answers a mention or a question to nobody, never "ok I\'m on it" or a question to a colleague', () => {
    expect(isAddressedToBot("ok I'm on it", 'UBOT')).toBe(false);
    expect(isAddressedToBot('<@UBOT> who acknowledged this?', 'UBOT')).toBe(true);
    expect(isAddressedToBot('<@UBOT> summary please', 'UBOT')).toBe(true);
    expect(isAddressedToBot('is it still happening?', 'UBOT')).toBe(true);
    expect(isAddressedToBot('<@U0DANA> can you look at it?', 'UBOT')).toBe(false);
  });
});
