/**
 * A fake Amazon SQS over real HTTP on 127.0.0.1, speaking the AWS JSON 1.0 protocol that
 * `@aws-sdk/client-sqs` uses (`X-Amz-Target: AmazonSQS.<Op>`), so the real SDK runs unmodified
 * against it, MD5 checks included. Queues have visibility timeouts, receipt handles (only the
 * latest deletes), receive counts and long polling. Test hooks: send, expire what is in flight,
 * hold deletes unanswered (to kill a consumer between its commit and its delete), fail calls.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { AwsError } from './aws-error.js';
import { SqsQueue } from './sqs-queue.js';
import { headerText, parseParams, readBody } from './wire.js';

export const SQS_OPS = [
  'SendMessage',
  'SendMessageBatch',
  'ReceiveMessage',
  'DeleteMessage',
  'DeleteMessageBatch',
  'ChangeMessageVisibility',
  'ChangeMessageVisibilityBatch',
  'GetQueueUrl',
] as const;
export type SqsOp = (typeof SQS_OPS)[number];
const isSqsOp = (op: string): op is SqsOp => (SQS_OPS as readonly string[]).includes(op);

export interface SqsCall {
  readonly op: string;
  readonly params: Record<string, unknown>;
  readonly at: number;
  status: number;
}

export interface FakeSqsOptions {
  readonly region?: string;
  readonly accountId?: string;
  readonly now?: () => number;
}

type Params = Record<string, unknown>;

const LONG_POLL_STEP_MS = 25;

const str = (p: Params, key: string): string => {
  const v = p[key];
  if (typeof v !== 'string' || v === '') throw new AwsError('MissingParameter', `${key} is required.`);
  return v;
};
const int = (p: Params, key: string, fallback: number, min: number, max: number): number => {
  const v = p[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new AwsError('InvalidParameterValue', `${key} must be an integer from ${min} to ${max}.`);
  }
  return v;
};
const entries = (p: Params): Params[] => {
  const v = p.Entries;
  if (!Array.isArray(v) || v.length === 0)
    throw new AwsError('EmptyBatchRequest', 'There should be at least one entry.');
  if (v.length > 10) throw new AwsError('TooManyEntriesInBatchRequest', 'At most 10 entries.');
  return v.filter((e): e is Params => typeof e === 'object' && e !== null);
};

/** SQS JSON errors carry a namespaced type and, for query compatibility, the legacy code in a header. */
const sendJson = (
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) => {
  if (res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.0',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
    ...headers,
  });
  res.end(text);
};

export class FakeSqs {
  readonly endpoint: string;
  readonly region: string;
  private readonly accountId: string;
  private readonly now: () => number;
  private readonly queues = new Map<string, SqsQueue>();
  private readonly recorded: SqsCall[] = [];
  private readonly failures = new Map<string, { times: number; type: string; status: number }>();
  private holding: { waiters: Array<{ go: () => void; res: ServerResponse }> } | undefined;
  private readonly sockets = new Set<ServerResponse>();
  private stopping: Promise<void> | undefined;

  static async start(options: FakeSqsOptions = {}): Promise<FakeSqs> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        resolve();
      });
    });
    const address = server.address();
    if (address === null || typeof address === 'string')
      throw new Error('fake SQS: server has no TCP address');
    return new FakeSqs(server, address.port, options);
  }

  private constructor(
    private readonly server: Server,
    port: number,
    options: FakeSqsOptions,
  ) {
    this.endpoint = `http://127.0.0.1:${port}`;
    this.region = options.region ?? 'us-east-1';
    this.accountId = options.accountId ?? '000000000000';
    this.now = options.now ?? Date.now;
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      this.onRequest(req, res).catch(() => res.destroy());
    });
  }

  /** Creates a queue (visibility timeout 30 s unless said otherwise) and returns its URL. */
  createQueue(name: string, options: { visibilitySeconds?: number } = {}): string {
    const url = `${this.endpoint}/${this.accountId}/${name}`;
    this.queues.set(url, new SqsQueue(name, url, this.now, options.visibilitySeconds ?? 30));
    return url;
  }

  /** Puts a message on the queue as EventBridge's target would. */
  send(queueUrl: string, body: string): string {
    return this.queue(queueUrl).send(body).MessageId;
  }

  /** Visible, in flight and deleted so far, and how often each remaining message was received. */
  stats(queueUrl: string) {
    return this.queue(queueUrl).stats();
  }

  /** Every in-flight message becomes receivable now, as when its visibility timeout runs out. */
  expireInFlight(queueUrl: string): number {
    return this.queue(queueUrl).expireInFlight();
  }

  get requests(): readonly SqsCall[] {
    return this.recorded;
  }

  requestsFor(op: SqsOp): SqsCall[] {
    return this.recorded.filter((c) => c.op === op);
  }

  /**
   * From now on delete calls are held: not applied and not answered until `releaseDeletes()`.
   * `arrived` resolves when the first held delete comes in (the consumer has committed by then).
   */
  holdDeletes(): { readonly arrived: Promise<void> } {
    const holding = { waiters: [] as Array<{ go: () => void; res: ServerResponse }> };
    this.holding = holding;
    let signal: () => void = () => undefined;
    const arrived = new Promise<void>((resolve) => {
      signal = resolve;
    });
    this.onHeldArrival = signal;
    return { arrived };
  }

  /** Held deletes go ahead (those whose caller is still connected are answered). */
  releaseDeletes(): void {
    const held = this.holding;
    this.holding = undefined;
    for (const w of held?.waiters ?? []) w.go();
  }

  /**
   * Held deletes are dropped: their connections are cut and nothing is deleted, as when the
   * consumer's process dies while waiting for the answer. Later deletes go through.
   */
  dropHeldDeletes(): void {
    const held = this.holding;
    this.holding = undefined;
    for (const w of held?.waiters ?? []) w.res.destroy();
  }

  /** The next `times` calls of `op` fail with `type` (default a 500 InternalError) and change nothing. */
  failNext(op: SqsOp, times = 1, type = 'InternalError', status = 500): void {
    this.failures.set(op, { times, type, status });
  }

  stop(): Promise<void> {
    this.stopping ??= new Promise<void>((resolve) => {
      this.releaseDeletes();
      this.server.close(() => {
        resolve();
      });
      this.server.closeAllConnections();
    });
    return this.stopping;
  }

  private onHeldArrival: () => void = () => undefined;

  private queue(url: string): SqsQueue {
    const q = this.queues.get(url);
    if (!q)
      throw new AwsError('AWS.SimpleQueueService.NonExistentQueue', 'The specified queue does not exist.');
    return q;
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const target = /^AmazonSQS\.(\w+)$/.exec(headerText(req.headers['x-amz-target']))?.[1] ?? '';
    const parsed = parseParams(raw);
    const call: SqsCall = { op: target, params: parsed.ok ? parsed.value : {}, at: this.now(), status: 0 };
    this.recorded.push(call);
    try {
      if (headerText(req.headers.authorization) === '') {
        throw new AwsError('MissingAuthenticationToken', 'Missing Authentication Token');
      }
      if (!isSqsOp(target)) throw new AwsError('UnknownOperationException', 'Unknown operation.');
      if (!parsed.ok) throw new AwsError('SerializationException', 'The request body is not a JSON object.');
      const failure = this.failures.get(target);
      if (failure && failure.times > 0) {
        failure.times -= 1;
        throw new AwsError(failure.type, 'fake SQS: injected failure', failure.status);
      }
      if ((target === 'DeleteMessage' || target === 'DeleteMessageBatch') && this.holding) {
        const holding = this.holding;
        await new Promise<void>((resolve) => {
          holding.waiters.push({ go: resolve, res });
          this.onHeldArrival();
        });
        if (res.destroyed || req.socket.destroyed) return;
      }
      const body = await this.dispatch(target, parsed.value, req);
      call.status = 200;
      sendJson(res, 200, body);
    } catch (error) {
      const e =
        error instanceof AwsError ? error : new AwsError('InternalError', 'fake SQS: internal error', 500);
      call.status = e.status;
      sendJson(
        res,
        e.status,
        { __type: `com.amazonaws.sqs#${e.type}`, message: e.message },
        {
          'x-amzn-query-error': `${e.type};${e.status >= 500 ? 'Receiver' : 'Sender'}`,
        },
      );
    }
  }

  private async dispatch(op: SqsOp, p: Params, req: IncomingMessage): Promise<unknown> {
    const q = op === 'GetQueueUrl' ? undefined : this.queue(str(p, 'QueueUrl'));
    switch (op) {
      case 'GetQueueUrl': {
        const name = str(p, 'QueueName');
        const found = [...this.queues.values()].find((x) => x.name === name);
        if (!found)
          throw new AwsError(
            'AWS.SimpleQueueService.NonExistentQueue',
            'The specified queue does not exist.',
          );
        return { QueueUrl: found.url };
      }
      case 'SendMessage':
        return this.queueOf(q).send(str(p, 'MessageBody'));
      case 'SendMessageBatch':
        return {
          Successful: entries(p).map((e) => ({
            Id: str(e, 'Id'),
            ...this.queueOf(q).send(str(e, 'MessageBody')),
          })),
          Failed: [],
        };
      case 'ReceiveMessage':
        return this.receive(this.queueOf(q), p, req);
      case 'DeleteMessage':
        this.queueOf(q).delete(str(p, 'ReceiptHandle'));
        return {};
      case 'DeleteMessageBatch':
        return this.batch(p, (e) => {
          this.queueOf(q).delete(str(e, 'ReceiptHandle'));
        });
      case 'ChangeMessageVisibility':
        this.queueOf(q).changeVisibility(str(p, 'ReceiptHandle'), int(p, 'VisibilityTimeout', 30, 0, 43_200));
        return {};
      case 'ChangeMessageVisibilityBatch':
        return this.batch(p, (e) => {
          this.queueOf(q).changeVisibility(
            str(e, 'ReceiptHandle'),
            int(e, 'VisibilityTimeout', 30, 0, 43_200),
          );
        });
    }
  }

  private queueOf(q: SqsQueue | undefined): SqsQueue {
    if (!q) throw new AwsError('MissingParameter', 'QueueUrl is required.');
    return q;
  }

  private batch(p: Params, apply: (entry: Params) => void) {
    const Successful: Array<{ Id: string }> = [];
    const Failed: Array<{ Id: string; SenderFault: boolean; Code: string; Message: string }> = [];
    for (const e of entries(p)) {
      const id = str(e, 'Id');
      try {
        apply(e);
        Successful.push({ Id: id });
      } catch (error) {
        const aws = error instanceof AwsError ? error : new AwsError('InternalError', 'internal error', 500);
        Failed.push({ Id: id, SenderFault: aws.status < 500, Code: aws.type, Message: aws.message });
      }
    }
    return { Successful, Failed };
  }

  /** Long polling: waits up to WaitTimeSeconds for a visible message, ending early if the caller leaves. */
  private async receive(q: SqsQueue, p: Params, req: IncomingMessage) {
    const max = int(p, 'MaxNumberOfMessages', 1, 1, 10);
    const visibility = int(p, 'VisibilityTimeout', q.defaultVisibilitySeconds, 0, 43_200);
    const deadline = Date.now() + int(p, 'WaitTimeSeconds', 0, 0, 20) * 1000;
    while (!q.hasVisible() && Date.now() < deadline && !req.socket.destroyed && !this.stopping) {
      await new Promise((resolve) => setTimeout(resolve, LONG_POLL_STEP_MS));
    }
    // A caller that left gets nothing: nothing is marked in flight for nobody.
    if (req.socket.destroyed) return {};
    const messages = q.receive(max, visibility);
    return messages.length === 0 ? {} : { Messages: messages };
  }
}
