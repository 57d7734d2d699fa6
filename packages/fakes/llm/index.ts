export { FakeBedrock, type RecordedBedrockRequest } from './fake-bedrock.js';
export { FakeAnthropic, type RecordedAnthropicRequest } from './fake-anthropic.js';
export { anthropicError, bedrockError, ReplyScript, slow, toolUse, type LlmReply } from './script.js';
export { goodRunbookInput, injectionFollowingInput, INJECTION, wrongShapeInputs } from './runbook-inputs.js';
export { promptOf, type LlmPrompt } from './wire.js';
