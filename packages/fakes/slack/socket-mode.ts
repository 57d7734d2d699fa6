/** The Socket Mode side: single-use tickets, hello, envelopes and their acks, disconnects. */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { isRecord } from './method-context.js';
import type {
  AckResult,
  ConnectionRecord,
  DisconnectReason,
  EnvelopeOptions,
  EnvelopeRecord,
  EnvelopeType,
  Json,
} from './types.js';

export interface SocketModeDeps {
  appId: string;
  ackTimeoutMs: number;
  /** Sees every first ack, so the fake can check blocks inside ack payloads. */
  onAck(record: EnvelopeRecord, payload: unknown): void;
}

interface OpenConnection {
  record: ConnectionRecord;
  socket: WebSocket;
}

interface PendingAck {
  record: EnvelopeRecord;
  startedAt: number;
  timer: NodeJS.Timeout;
  resolve(result: AckResult): void;
}

/** Slack sets accepts_response_payload only where the ack body means something. */
function acceptsResponsePayload(type: EnvelopeType, payload: Json): boolean {
  if (type === 'slash_commands') return true;
  return (
    type === 'interactive' && (payload.type === 'view_submission' || payload.type === 'block_suggestion')
  );
}

export class SocketModeServer {
  readonly connections: ConnectionRecord[] = [];
  readonly envelopes: EnvelopeRecord[] = [];
  private readonly tickets = new Map<string, { used: boolean }>();
  private readonly open: OpenConnection[] = [];
  private readonly pending = new Map<string, PendingAck>();
  private readonly wss = new WebSocketServer({ noServer: true });

  constructor(private readonly deps: SocketModeDeps) {}

  issueTicket(): string {
    const ticket = randomUUID();
    this.tickets.set(ticket, { used: false });
    return ticket;
  }

  /** Upgrades `/link/?ticket=…`; a missing, unknown or reused ticket is refused with 401. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    const ticket = url.searchParams.get('ticket') ?? '';
    const entry = this.tickets.get(ticket);
    if (!url.pathname.startsWith('/link') || !entry || entry.used) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    entry.used = true;
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.onConnection(ws, ticket);
    });
  }

  private onConnection(socket: WebSocket, ticket: string): void {
    const record: ConnectionRecord = { id: this.connections.length + 1, ticket, openedAt: new Date() };
    this.connections.push(record);
    const connection = { record, socket };
    this.open.push(connection);
    socket.on('message', (data, isBinary) => {
      if (!isBinary) this.onFrame(rawToString(data));
    });
    socket.on('close', (code) => {
      record.closedAt ??= new Date();
      record.ended ??= 'client_close';
      record.closeCode = code;
      const index = this.open.indexOf(connection);
      if (index >= 0) this.open.splice(index, 1);
    });
    socket.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.open.length,
        connection_info: { app_id: this.deps.appId },
      }),
    );
  }

  private onFrame(text: string): void {
    let frame: unknown;
    try {
      frame = JSON.parse(text);
    } catch {
      return;
    }
    if (!isRecord(frame) || typeof frame.envelope_id !== 'string') return;
    const pending = this.pending.get(frame.envelope_id);
    const record = pending?.record ?? this.envelopes.find((e) => e.envelopeId === frame.envelope_id);
    if (!record) return;
    if (record.ack) {
      record.extraAcks += 1;
      return;
    }
    const latencyMs = pending ? performance.now() - pending.startedAt : Date.now() - record.sentAt.getTime();
    record.ack = { payload: frame.payload, latencyMs, late: !pending };
    this.deps.onAck(record, frame.payload);
    if (!pending) return;
    clearTimeout(pending.timer);
    this.pending.delete(record.envelopeId);
    pending.resolve({ envelopeId: record.envelopeId, acked: true, payload: frame.payload, latencyMs });
  }

  isConnected(): boolean {
    return this.open.some((c) => c.socket.readyState === c.socket.OPEN);
  }

  /** Delivers to the newest open connection; resolves `acked:false` once the ack deadline passes. */
  sendEnvelope(type: EnvelopeType, payload: Json, opts: EnvelopeOptions = {}): Promise<AckResult> {
    const target = this.open.filter((c) => c.socket.readyState === c.socket.OPEN).at(-1);
    if (!target)
      return Promise.reject(new Error(`fake Slack: no open Socket Mode connection for a ${type} envelope`));
    const envelopeId = opts.envelopeId ?? randomUUID();
    const record: EnvelopeRecord = {
      envelopeId,
      type,
      payload,
      ...(opts.retryAttempt !== undefined ? { retryAttempt: opts.retryAttempt } : {}),
      ...(opts.retryReason !== undefined ? { retryReason: opts.retryReason } : {}),
      connectionId: target.record.id,
      sentAt: new Date(),
      extraAcks: 0,
    };
    this.envelopes.push(record);
    const frame = {
      envelope_id: envelopeId,
      type,
      payload,
      accepts_response_payload: opts.acceptsResponsePayload ?? acceptsResponsePayload(type, payload),
      ...(opts.retryAttempt !== undefined ? { retry_attempt: opts.retryAttempt } : {}),
      ...(opts.retryReason !== undefined ? { retry_reason: opts.retryReason } : {}),
    };
    return new Promise((resolve) => {
      const startedAt = performance.now();
      const timer = setTimeout(() => {
        this.pending.delete(envelopeId);
        resolve({ envelopeId, acked: false, latencyMs: performance.now() - startedAt });
      }, this.deps.ackTimeoutMs);
      this.pending.set(envelopeId, { record, startedAt, timer, resolve });
      target.socket.send(JSON.stringify(frame));
    });
  }

  disconnect(reason: DisconnectReason): void {
    for (const { record, socket } of this.open) {
      record.disconnectRequested = reason;
      socket.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'fake-slack' } }));
    }
  }

  /** Kills the TCP connection without a close frame, like a network failure or a pod dying. */
  drop(): void {
    for (const { record, socket } of [...this.open]) {
      record.ended = 'dropped';
      record.closedAt = new Date();
      socket.terminate();
    }
  }

  /**
   * Stops reading every open connection, like a peer that has hung: the TCP connection stays up
   * but nothing sent to the fake (acks, pings, a close frame) is read or answered.
   */
  stall(): void {
    for (const { socket } of this.open) socket.pause();
  }

  async stop(): Promise<void> {
    for (const pending of this.pending.values()) {
      clearTimeout(pending.timer);
      pending.resolve({
        envelopeId: pending.record.envelopeId,
        acked: false,
        latencyMs: performance.now() - pending.startedAt,
      });
    }
    this.pending.clear();
    for (const { record, socket } of [...this.open]) {
      record.ended ??= 'stopped';
      record.closedAt ??= new Date();
      socket.terminate();
    }
    await new Promise<void>((resolve) => {
      this.wss.close(() => {
        resolve();
      });
    });
  }
}

function rawToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(new Uint8Array(data)).toString('utf8');
  return data.toString('utf8');
}
