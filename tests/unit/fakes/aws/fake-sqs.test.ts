import {
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { FAKE_CREDENTIALS, FakeSqs } from '@auth0-oncall/fakes/aws';
import { afterEach, describe, expect, it } from 'vitest';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const setup = async () => {
  const sqs = await FakeSqs.start();
  cleanups.push(() => sqs.stop());
  const client = new SQSClient({
    endpoint: sqs.endpoint,
    region: sqs.region,
    credentials: FAKE_CREDENTIALS,
    maxAttempts: 1,
  });
  cleanups.push(() => {
    client.destroy();
  });
  return { sqs, client, queueUrl: sqs.createQueue('events') };
};

describe('the fake SQS, driven by the real @aws-sdk/client-sqs', () => {
  it('sends and receives over the JSON protocol, with the MD5 the SDK checks and a receive count', async () => {
    const { client, queueUrl } = await setup();
    const sent = await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'héllo' }));
    expect(sent.MessageId).toBeTruthy();
    const got = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        MessageSystemAttributeNames: ['ApproximateReceiveCount'],
      }),
    );
    expect(got.Messages?.map((m) => [m.Body, m.Attributes?.ApproximateReceiveCount])).toEqual([
      ['héllo', '1'],
    ]);
  });

  it('hides a received message for its visibility timeout, then hands it out again with a new handle', async () => {
    const { sqs, client, queueUrl } = await setup();
    sqs.send(queueUrl, 'one');
    const first = await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, VisibilityTimeout: 30 }));
    const again = await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl }));
    expect(again.Messages).toBeUndefined();
    expect(sqs.expireInFlight(queueUrl)).toBe(1);
    const second = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MessageSystemAttributeNames: ['ApproximateReceiveCount'],
      }),
    );
    expect(second.Messages?.[0]?.Attributes?.ApproximateReceiveCount).toBe('2');
    // The first receipt handle is stale now: it no longer deletes the message.
    const stale = await client.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: [{ Id: 'a', ReceiptHandle: first.Messages?.[0]?.ReceiptHandle }],
      }),
    );
    expect(stale.Failed?.[0]).toMatchObject({ Id: 'a', Code: 'ReceiptHandleIsInvalid', SenderFault: true });
    await client.send(
      new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: second.Messages?.[0]?.ReceiptHandle }),
    );
    expect(sqs.stats(queueUrl)).toMatchObject({ visible: 0, inFlight: 0, deleted: 1 });
  });

  it('extends the visibility of a message in flight', async () => {
    const { sqs, client, queueUrl } = await setup();
    sqs.send(queueUrl, 'one');
    const got = await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, VisibilityTimeout: 1 }));
    await client.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: queueUrl,
        ReceiptHandle: got.Messages?.[0]?.ReceiptHandle,
        VisibilityTimeout: 600,
      }),
    );
    expect(sqs.requestsFor('ChangeMessageVisibility')[0]?.status).toBe(200);
    expect(sqs.stats(queueUrl).inFlight).toBe(1);
  });

  it('long-polls: a receive waiting on an empty queue returns as soon as a message arrives', async () => {
    const { sqs, client, queueUrl } = await setup();
    const waiting = client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 20 }));
    await new Promise<void>((resolve) => {
      const check = () => {
        if (sqs.requestsFor('ReceiveMessage').length > 0) resolve();
        else setTimeout(check, 10);
      };
      check();
    });
    sqs.send(queueUrl, 'late');
    expect((await waiting).Messages?.map((m) => m.Body)).toEqual(['late']);
  });

  it('answers an unknown queue with the SDK-recognised error', async () => {
    const { client } = await setup();
    await expect(
      client.send(new ReceiveMessageCommand({ QueueUrl: 'http://127.0.0.1:1/000000000000/nope' })),
    ).rejects.toMatchObject({ name: 'QueueDoesNotExist' });
  });
});
