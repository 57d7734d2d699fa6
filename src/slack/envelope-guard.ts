import type { SocketModeReceiver } from '@slack/bolt';

type SocketClient = SocketModeReceiver['client'];
type FrameListener = (data: unknown, isBinary: unknown) => unknown;

export interface DroppedEnvelope {
  readonly envelopeId: string | undefined;
  readonly envelopeType: string | undefined;
  /** `malformed` (rejected before the SDK saw it) or `sdk_error` (the SDK threw on it). */
  readonly reason: 'malformed' | 'sdk_error';
  readonly error?: unknown;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const parseFrame = (data: unknown): Record<string, unknown> | undefined => {
  const text =
    typeof data === 'string'
      ? data
      : data instanceof ArrayBuffer
        ? new TextDecoder().decode(data)
        : undefined;
  if (text === undefined) return undefined;
  try {
    const frame: unknown = JSON.parse(text);
    return isRecord(frame) ? frame : undefined;
  } catch {
    return undefined;
  }
};

/** The socket client reads `payload.event.type` of every events_api frame without checking it. */
const isMalformed = (frame: Record<string, unknown>): boolean => {
  if (frame.type !== 'events_api') return false;
  const payload = frame.payload;
  return !(isRecord(payload) && isRecord(payload.event) && typeof payload.event.type === 'string');
};

/**
 * Puts a guard in front of the Socket Mode client's frame handler: a frame the SDK would throw on
 * is dropped (not acked, so Slack's few redeliveries are dropped too) and reported, and anything
 * the SDK still throws while handling a frame is reported instead of rejecting unhandled — one
 * bad frame from Slack must not take the process down (docs/decisions/0007-what-exits-the-process.md).
 */
export const guardEnvelopes = (client: SocketClient, onDropped: (dropped: DroppedEnvelope) => void): void => {
  const handlers = client.listeners('ws_message') as FrameListener[];
  client.removeAllListeners('ws_message');
  client.on('ws_message', (data: unknown, isBinary: unknown) => {
    const frame = isBinary === true ? undefined : parseFrame(data);
    const envelopeId = typeof frame?.envelope_id === 'string' ? frame.envelope_id : undefined;
    const envelopeType = typeof frame?.type === 'string' ? frame.type : undefined;
    if (frame && isMalformed(frame)) {
      onDropped({ envelopeId, envelopeType, reason: 'malformed' });
      return;
    }
    for (const handle of handlers) {
      new Promise((resolve) => {
        resolve(handle(data, isBinary));
      }).catch((error: unknown) => {
        onDropped({ envelopeId, envelopeType, reason: 'sdk_error', error });
      });
    }
  });
};
