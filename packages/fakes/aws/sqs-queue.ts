/** The message state of one fake SQS queue: visibility, receipt handles, receive counts. */
import { createHash, randomUUID } from 'node:crypto';
import { AwsError } from './aws-error.js';

interface StoredMessage {
  readonly id: string;
  readonly body: string;
  readonly md5: string;
  readonly sentAt: number;
  receiveCount: number;
  visibleAt: number;
  /** The handle of the latest receive; older handles no longer delete or extend it. */
  receiptHandle: string | undefined;
}

export interface ReceivedMessage {
  readonly MessageId: string;
  readonly ReceiptHandle: string;
  readonly MD5OfBody: string;
  readonly Body: string;
  readonly Attributes: Record<string, string>;
}

/** SQS's MD5OfBody, which the SDK checks on every receive and send. */
const md5Hex = (text: string): string => createHash('md5').update(text, 'utf8').digest('hex');

/** `ReceiptHandleIsInvalid`, as SQS answers a handle that is not the message's latest. */
const invalidHandle = (): AwsError =>
  new AwsError('ReceiptHandleIsInvalid', 'The input receipt handle is invalid.');

export class SqsQueue {
  private readonly messages = new Map<string, StoredMessage>();
  private deletedCount = 0;

  constructor(
    readonly name: string,
    readonly url: string,
    private readonly now: () => number,
    readonly defaultVisibilitySeconds: number,
  ) {}

  send(body: string): { MessageId: string; MD5OfMessageBody: string } {
    const id = randomUUID();
    const md5 = md5Hex(body);
    this.messages.set(id, {
      id,
      body,
      md5,
      sentAt: this.now(),
      receiveCount: 0,
      visibleAt: 0,
      receiptHandle: undefined,
    });
    return { MessageId: id, MD5OfMessageBody: md5 };
  }

  receive(max: number, visibilitySeconds: number): ReceivedMessage[] {
    const now = this.now();
    const out: ReceivedMessage[] = [];
    for (const m of this.messages.values()) {
      if (out.length >= max) break;
      if (m.visibleAt > now) continue;
      m.receiveCount += 1;
      m.visibleAt = now + visibilitySeconds * 1000;
      m.receiptHandle = `${m.id}#${randomUUID()}`;
      out.push({
        MessageId: m.id,
        ReceiptHandle: m.receiptHandle,
        MD5OfBody: m.md5,
        Body: m.body,
        Attributes: { ApproximateReceiveCount: String(m.receiveCount), SentTimestamp: String(m.sentAt) },
      });
    }
    return out;
  }

  private byHandle(handle: string): StoredMessage {
    const m = this.messages.get(handle.split('#')[0] ?? '');
    if (m?.receiptHandle !== handle) throw invalidHandle();
    return m;
  }

  delete(handle: string): void {
    const m = this.byHandle(handle);
    this.messages.delete(m.id);
    this.deletedCount += 1;
  }

  changeVisibility(handle: string, seconds: number): void {
    const m = this.byHandle(handle);
    if (m.visibleAt <= this.now()) {
      throw new AwsError('MessageNotInflight', 'The message referred to is not in flight.');
    }
    m.visibleAt = this.now() + seconds * 1000;
  }

  /** Every message in flight becomes visible now, as if its visibility timeout had run out. */
  expireInFlight(): number {
    let n = 0;
    for (const m of this.messages.values()) {
      if (m.visibleAt > this.now()) {
        m.visibleAt = 0;
        n += 1;
      }
    }
    return n;
  }

  hasVisible(): boolean {
    const now = this.now();
    for (const m of this.messages.values()) if (m.visibleAt <= now) return true;
    return false;
  }

  stats(): { visible: number; inFlight: number; deleted: number; receives: Record<string, number> } {
    const now = this.now();
    let visible = 0;
    let inFlight = 0;
    const receives: Record<string, number> = {};
    for (const m of this.messages.values()) {
      if (m.visibleAt > now) inFlight += 1;
      else visible += 1;
      receives[m.id] = m.receiveCount;
    }
    return { visible, inFlight, deleted: this.deletedCount, receives };
  }
}
