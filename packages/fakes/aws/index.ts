export { FAKE_CREDENTIALS, FakeSecretsManager } from './fake-secrets-manager.js';
export { secretsManagerClientFor } from './sdk-client.js';
export { REDACTED } from './wire.js';
export { SECRETS_OPS } from './types.js';
export type {
  CallOutcome,
  ErrorSpec,
  FailSpec,
  FakeSecretsManagerOptions,
  OpSelector,
  RecordedCall,
  SecretsOp,
  VersionView,
} from './types.js';
export { FakeSqs, SQS_OPS } from './fake-sqs.js';
export type { FakeSqsOptions, SqsCall, SqsOp } from './fake-sqs.js';
