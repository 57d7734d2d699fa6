import type { AgentModel } from '../core/agent/ports.js';
import { createIncidentFacts } from '../core/agent/incident-facts.js';
import { createIncidentThreadAnswerer } from '../core/agent/incident-thread.js';
import { createThreadAgent } from '../core/agent/thread-agent.js';
import { createThreadQuestions } from '../core/agent/thread-questions.js';
import type { Incident } from '../core/incidents/model.js';
import type { IncidentChat } from '../core/incidents/ports.js';
import type { RecheckResult } from '../core/incidents/recheck.js';
import type { Tenant } from '../core/tenant/ports.js';
import { builtinRunbook } from '../llm/builtin/builtin-runbook-writer.js';
import { runbookIncidentOf } from '../core/runbooks/model.js';
import { agentAnswerMessage } from '../slack/blocks/agent-blocks.js';
import { registerThreadListeners } from '../slack/thread-listeners.js';
import type { Platform } from './platform.js';
import type { Listeners } from '../slack/listener-table.js';

/** The thread agent: questions in a card's thread answered there with read-only tools, never running a step. */
export const wireAgent = (
  platform: Platform,
  deps: {
    readonly model: AgentModel | undefined;
    readonly tenant: Pick<Tenant, 'searchLogs' | 'listSigningKeys'>;
    readonly chat: IncidentChat;
    readonly recheck: (incidentId: string) => RecheckResult;
    /** `note: …` in a card's thread (docs/on-call.md). */
    readonly addNote?: (incident: Incident, user: string, text: string, key: string) => Promise<unknown>;
  },
): { readonly register: (app: Listeners) => void } => {
  const { logger, now, stores } = platform;
  const agent = createThreadAgent({
    ...(deps.model ? { model: deps.model } : {}),
    tools: {
      tenant: deps.tenant,
      audit: stores.audit,
      facts: createIncidentFacts({ logs: stores.logs, recheck: deps.recheck, now }),
    },
    maxToolCalls: 4,
    maxTokens: 1024,
    timeoutMs: 20_000,
    now,
    builtinRunbook: (incident, evidence) =>
      builtinRunbook({
        incident: runbookIncidentOf(incident),
        evidence,
        actions: [],
        tenant: { domain: platform.config.auth0.domain },
      }),
  });
  const questions = createThreadQuestions({
    findIncidentByThread: (channel, ts) =>
      stores.incidents.listOpen().find((i) => i.slackChannel === channel && i.slackTs === ts),
    agent: createIncidentThreadAnswerer({ agent, incidents: stores.incidents }),
    threads: stores.threads,
    chat: deps.chat,
    render: agentAnswerMessage,
    ...(deps.addNote ? { addNote: deps.addNote } : {}),
    now,
  });
  return {
    register: (app) => {
      registerThreadListeners(app, {
        questions,
        onError: (err) => {
          logger.warn({ event: 'agent.failed', err }, 'the thread agent failed');
        },
      });
    },
  };
};
