import type { AgentModel, AgentReply, AgentTurnRequest } from '../core/agent/ports.js';
import { AppError } from '../errors.js';

/** Tries each model in order; the first answer wins. A caller's abort is not a model failure. */
export class FallbackAgentModel implements AgentModel {
  readonly name: string;
  private readonly models: readonly AgentModel[];

  constructor(models: readonly AgentModel[]) {
    this.models = models;
    this.name = models.map((m) => m.name).join('>');
  }

  async next(request: AgentTurnRequest, signal: AbortSignal): Promise<AgentReply> {
    let last: unknown = new AppError('dependency_failed', 'no agent model configured');
    for (const model of this.models) {
      if (signal.aborted) break;
      try {
        return await model.next(request, signal);
      } catch (error) {
        last = error;
      }
    }
    throw last;
  }
}
