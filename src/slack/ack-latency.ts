/** The two events of @slack/socket-mode's client that bracket an envelope. */
export interface EnvelopeEvents {
  on(
    event: 'slack_event' | 'outgoing_message',
    listener: (payload: { envelope_id?: unknown; type?: unknown }) => void,
  ): unknown;
}

/**
 * Measures the time from an envelope's arrival to its ack on the socket: Slack gives 3 s, and a
 * slow ack is a failed click for the user. Envelopes never acked are forgotten after a minute.
 */
export const observeAckLatency = (
  client: EnvelopeEvents,
  metrics: { observeAckLatency(seconds: number, envelopeType: string): void },
  now: () => number = () => performance.now(),
): void => {
  const pending = new Map<string, { at: number; type: string }>();
  client.on('slack_event', (envelope) => {
    if (typeof envelope.envelope_id !== 'string') return;
    const at = now();
    pending.set(envelope.envelope_id, {
      at,
      type: typeof envelope.type === 'string' ? envelope.type : 'unknown',
    });
    for (const [id, p] of pending) {
      if (at - p.at > 60_000) pending.delete(id);
      else break;
    }
  });
  client.on('outgoing_message', (message) => {
    if (typeof message.envelope_id !== 'string') return;
    const p = pending.get(message.envelope_id);
    if (!p) return;
    pending.delete(message.envelope_id);
    metrics.observeAckLatency((now() - p.at) / 1000, p.type);
  });
};
