import type * as Sqs from '@aws-sdk/client-sqs';
import type { EventQueue, QueueMessage } from '../core/event-streams/ports.js';
import { AppError } from '../errors.js';
import type { LazyClient } from '../core/runtime/lazy-client.js';
import { lazyAwsClient, type AwsClientOptions } from './aws-client.js';

export type SqsClientOptions = AwsClientOptions<Sqs.SQSClientConfig['credentials']>;

/** The SQS SDK and client, loaded on the first receive (src/core/runtime/lazy-client.ts). */
export type LazySqsClient = LazyClient<typeof Sqs, Sqs.SQSClient>;

/**
 * Called by the composition root only. The consumer loop is the retry layer (it backs off and
 * receives again; every message comes back until deleted), so the SDK makes one attempt.
 */
export const createSqsClient = (options: SqsClientOptions): LazySqsClient =>
  lazyAwsClient(
    () => import('@aws-sdk/client-sqs'),
    (sdk, config) => new sdk.SQSClient(config),
    options,
  );

export interface SqsEventQueueOptions {
  /** Loaded inside each call's error handling: an SDK that fails to load fails the call like SQS would. */
  readonly client: LazySqsClient;
  readonly queueUrl: string;
  /** Long-poll wait, 1..20 s (20 in production: fewer empty receives, lower cost). */
  readonly waitSeconds: number;
  /** The visibility timeout asked for on each receive. */
  readonly visibilitySeconds: number;
}

// The SDK's error name (QueueDoesNotExist, AccessDenied…) says what went wrong without quoting input.
const failed = (what: string, error: unknown): AppError =>
  new AppError(
    'dependency_failed',
    `SQS ${what} failed: ${error instanceof Error ? error.name : 'unknown error'}`,
    {
      cause: error,
    },
  );

/** The EventBridge → SQS queue through @aws-sdk/client-sqs. */
export class SqsEventQueue implements EventQueue {
  constructor(private readonly options: SqsEventQueueOptions) {}

  async receive(max: number, signal: AbortSignal): Promise<QueueMessage[]> {
    try {
      const { sdk, client } = await this.options.client.load();
      const out = await client.send(
        new sdk.ReceiveMessageCommand({
          QueueUrl: this.options.queueUrl,
          MaxNumberOfMessages: Math.min(10, Math.max(1, max)),
          WaitTimeSeconds: this.options.waitSeconds,
          VisibilityTimeout: this.options.visibilitySeconds,
          MessageSystemAttributeNames: ['ApproximateReceiveCount'],
        }),
        { abortSignal: signal },
      );
      return (out.Messages ?? []).flatMap((m) =>
        m.MessageId && m.ReceiptHandle
          ? [
              {
                messageId: m.MessageId,
                receiptHandle: m.ReceiptHandle,
                body: m.Body ?? '',
                receiveCount: Number(m.Attributes?.ApproximateReceiveCount ?? 1) || 1,
              },
            ]
          : [],
      );
    } catch (error) {
      if (signal.aborted) throw new AppError('cancelled', 'SQS receive aborted', { cause: error });
      throw failed('ReceiveMessage', error);
    }
  }

  async delete(messages: readonly QueueMessage[]): Promise<void> {
    if (messages.length === 0) return;
    try {
      const { sdk, client } = await this.options.client.load();
      await client.send(
        new sdk.DeleteMessageBatchCommand({
          QueueUrl: this.options.queueUrl,
          Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.receiptHandle })),
        }),
      );
    } catch (error) {
      throw failed('DeleteMessageBatch', error);
    }
  }

  async extend(messages: readonly QueueMessage[], seconds: number): Promise<void> {
    if (messages.length === 0) return;
    try {
      const { sdk, client } = await this.options.client.load();
      await client.send(
        new sdk.ChangeMessageVisibilityBatchCommand({
          QueueUrl: this.options.queueUrl,
          Entries: messages.map((m, i) => ({
            Id: String(i),
            ReceiptHandle: m.receiptHandle,
            VisibilityTimeout: seconds,
          })),
        }),
      );
    } catch (error) {
      throw failed('ChangeMessageVisibilityBatch', error);
    }
  }
}
