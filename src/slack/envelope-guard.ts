type FrameListener = (data: unknown, isBinary: unknown) => unknown;

/** The part of @slack/socket-mode's client the guard uses: the listeners of its raw frames. */
export interface FrameSource {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- EventEmitter's own type
  listeners(event: 'ws_message'): Function[];
  removeAllListeners(event: 'ws_message'): unknown;
  on(event: 'ws_message', listener: FrameListener): unknown;
}

export interface DroppedEnvelope {
  readonly envelopeId: string | undefined;
  readonly envelopeType: string | undefined;
  /** `malformed` (rejected before the SDK saw it) or `sdk_error` (the SDK threw on it). */
  readonly reason: 'malformed' | 'sdk_error';
  readonly error?: unknown;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const frameText = (data: unknown): string | undefined =>
  typeof data === 'string' ? data : data instanceof ArrayBuffer ? new TextDecoder().decode(data) : undefined;

const parseFrame = (text: string | undefined): Record<string, unknown> | undefined => {
  if (text === undefined) return undefined;
  try {
    const frame: unknown = JSON.parse(text);
    return isRecord(frame) ? frame : undefined;
  } catch {
    return undefined;
  }
};

const named = (frame: Record<string, unknown> | undefined) => ({
  envelopeId: typeof frame?.envelope_id === 'string' ? frame.envelope_id : undefined,
  envelopeType: typeof frame?.type === 'string' ? frame.type : undefined,
});

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
export const guardEnvelopes = (client: FrameSource, onDropped: (dropped: DroppedEnvelope) => void): void => {
  const handlers = client.listeners('ws_message') as FrameListener[];
  client.removeAllListeners('ws_message');
  client.on('ws_message', (data: unknown, isBinary: unknown) => {
    const text = isBinary === true ? undefined : frameText(data);
    // Only an events_api frame is checked, and only such a frame is parsed here: a click's frame
    // carries its whole message, and parsing every frame twice showed in the ack latency of a
    // burst of clicks. A frame the check does not see is still guarded below.
    const frame = text?.includes('events_api') === true ? parseFrame(text) : undefined;
    if (frame && isMalformed(frame)) {
      onDropped({ ...named(frame), reason: 'malformed' });
      return;
    }
    for (const handle of handlers) {
      new Promise((resolve) => {
        resolve(handle(data, isBinary));
      }).catch((error: unknown) => {
        onDropped({ ...named(frame ?? parseFrame(text)), reason: 'sdk_error', error });
      });
    }
  });
};
