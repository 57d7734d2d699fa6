import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { guardEnvelopes, type DroppedEnvelope } from '../../../src/slack/envelope-guard.js';

/** The socket client's side the guard touches: its ws_message listeners. */
const socketClient = (handle: (data: unknown, isBinary: unknown) => unknown) => {
  const client = new EventEmitter();
  client.on('ws_message', handle);
  const dropped: DroppedEnvelope[] = [];
  guardEnvelopes(client, (d) => dropped.push(d));
  return { client, dropped };
};

const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('the Socket Mode envelope guard', () => {
  it('drops an events_api frame without payload.event before the SDK sees it, and names it', async () => {
    const seen: unknown[] = [];
    const { client, dropped } = socketClient((data) => seen.push(data));
    client.emit('ws_message', JSON.stringify({ envelope_id: 'e1', type: 'events_api', payload: {} }), false);
    await settled();
    expect(seen).toEqual([]);
    expect(dropped).toEqual([{ envelopeId: 'e1', envelopeType: 'events_api', reason: 'malformed' }]);
  });

  it('hands well-formed frames to the SDK as they came, events_api and clicks alike', async () => {
    const seen: unknown[] = [];
    const { client, dropped } = socketClient((data) => seen.push(data));
    const event = JSON.stringify({
      envelope_id: 'e2',
      type: 'events_api',
      payload: { event: { type: 'app_home_opened' } },
    });
    // A click whose message mentions events_api is parsed and checked, and passes.
    const click = JSON.stringify({ envelope_id: 'e3', type: 'interactive', payload: { text: 'events_api' } });
    const plain = JSON.stringify({
      envelope_id: 'e4',
      type: 'interactive',
      payload: { type: 'block_actions' },
    });
    for (const frame of [event, click, plain]) client.emit('ws_message', frame, false);
    await settled();
    expect(seen).toEqual([event, click, plain]);
    expect(dropped).toEqual([]);
  });

  it('reports what the SDK throws on, with the envelope named, instead of rejecting unhandled', async () => {
    const { client, dropped } = socketClient(() => Promise.reject(new Error('SDK tripped')));
    client.emit('ws_message', JSON.stringify({ envelope_id: 'e5', type: 'interactive', payload: {} }), false);
    client.emit('ws_message', 'not json', false);
    await settled();
    expect(dropped).toEqual([
      { envelopeId: 'e5', envelopeType: 'interactive', reason: 'sdk_error', error: new Error('SDK tripped') },
      {
        envelopeId: undefined,
        envelopeType: undefined,
        reason: 'sdk_error',
        error: new Error('SDK tripped'),
      },
    ]);
  });
});
