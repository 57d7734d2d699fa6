import type { Incident, IncidentStore } from '../incidents/model.js';
import { evidenceOf } from '../incidents/evidence-codec.js';
import type { ThreadTurn } from './model.js';
import type { ThreadAgent, ThreadAnswer } from './thread-agent.js';

/** What the thread listener asks: the agent's question with the incident's record filled in. */
export interface IncidentThreadAnswerer {
  answer(input: {
    incident: Incident;
    history: readonly ThreadTurn[];
    question: string;
  }): Promise<ThreadAnswer>;
}

export interface IncidentThreadDeps {
  readonly agent: ThreadAgent;
  readonly incidents: Pick<IncidentStore, 'timeline' | 'steps'>;
}

export const createIncidentThreadAnswerer = (deps: IncidentThreadDeps): IncidentThreadAnswerer => ({
  answer: ({ incident, history, question }) =>
    deps.agent.answer({
      incident,
      evidence: evidenceOf(incident.evidence, incident.updatedAt),
      timeline: deps.incidents.timeline(incident.id),
      steps: deps.incidents.steps(incident.id),
      history,
      question,
    }),
});
