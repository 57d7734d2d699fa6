import type { AgentModel, AgentReply, AgentTurnRequest } from '../core/agent/ports.js';
import type { ModelProvider } from './model-provider.js';
import { agentReplyOf, assertComplete } from './model-reply.js';

export interface LlmAgentModelOptions {
  /** A provider whose policy is the agent's alone (not the runbook writer's). */
  readonly provider: ModelProvider;
}

/**
 * The thread agent's model: one turn with the agent's tools offered. The provider fences every
 * `data` part and tool result (fence.ts) before it reaches the model.
 */
export class LlmAgentModel implements AgentModel {
  readonly name: string;
  private readonly provider: ModelProvider;

  constructor(options: LlmAgentModelOptions) {
    this.provider = options.provider;
    this.name = options.provider.vendor;
  }

  async next(request: AgentTurnRequest, signal: AbortSignal): Promise<AgentReply> {
    const reply = await this.provider.agentTurn(request, signal);
    assertComplete(reply, 'agent answer');
    return agentReplyOf(reply);
  }
}
