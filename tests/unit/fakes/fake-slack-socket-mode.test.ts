import { SocketModeClient } from '@slack/socket-mode';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { FakeSlack, type FakeSlackOptions } from '@auth0-oncall/fakes/slack';
import { quietLogger } from './quiet-logger.js';

interface ListenerArgs {
  ack: (response?: Record<string, unknown>) => Promise<void>;
  body: Record<string, unknown>;
  retry_num?: number;
  retry_reason?: string;
}

const fakes: FakeSlack[] = [];
const clients: SocketModeClient[] = [];

async function startFake(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const fake = await FakeSlack.start(options);
  fakes.push(fake);
  return fake;
}

// clientPingTimeout is also the client's wait before reconnecting, so a small one keeps tests fast.
function socketClient(fake: FakeSlack, appToken = fake.options.appToken): SocketModeClient {
  const client = new SocketModeClient({
    appToken,
    clientPingTimeout: 150,
    logger: quietLogger(),
    clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
  });
  clients.push(client);
  return client;
}

afterEach(async () => {
  // Clients first: a client whose fake vanished would keep trying to reconnect.
  await Promise.all(clients.splice(0).map((c) => c.disconnect()));
  await Promise.all(fakes.splice(0).map((f) => f.stop()));
});

const mention = {
  type: 'app_mention',
  user: 'U0OPERATOR',
  text: '<@UBOT> hi',
  channel: 'C0ALERTS',
  ts: '1700000000.000100',
};

describe('FakeSlack Socket Mode', () => {
  it('sends the hello frame on a ticketed connection and refuses a reused ticket', async () => {
    const fake = await startFake();
    const opened = await fetch(`${fake.apiUrl}apps.connections.open`, {
      method: 'POST',
      headers: { authorization: `Bearer ${fake.options.appToken}` },
    });
    const { url } = (await opened.json()) as { url: string };
    expect(url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/link\/\?ticket=[0-9a-f-]{36}$/);
    const socket = new WebSocket(url);
    const hello = await new Promise<string>((resolve) =>
      socket.once('message', (data: Buffer) => {
        resolve(data.toString());
      }),
    );
    expect(JSON.parse(hello)).toEqual({
      type: 'hello',
      num_connections: 1,
      connection_info: { app_id: 'A0APP' },
    });
    socket.close();
    const reused = new WebSocket(url);
    const status = await new Promise<number>((resolve) =>
      reused.once('unexpected-response', (_req, res) => {
        resolve(res.statusCode ?? 0);
      }),
    );
    expect(status).toBe(401);
  });

  it('lets the real SocketModeClient connect and answers a slash command through its ack', async () => {
    const fake = await startFake();
    const client = socketClient(fake);
    client.on('slash_commands', ({ ack, body }: ListenerArgs) => {
      void ack({ text: `pong ${String(body.text)}`, response_type: 'ephemeral' });
    });
    await client.start();
    expect(fake.isConnected()).toBe(true);
    expect(fake.callsTo('apps.connections.open')[0]?.token).toBe(fake.options.appToken);
    const ack = await fake.sendEnvelope('slash_commands', {
      command: '/oncall',
      text: 'ping',
      user_id: 'U0OPERATOR',
    });
    expect(ack).toMatchObject({ acked: true, payload: { text: 'pong ping', response_type: 'ephemeral' } });
    expect(ack.latencyMs).toBeGreaterThan(0);
    expect(ack.latencyMs).toBeLessThan(1000);
    expect(fake.envelopes[0]).toMatchObject({ type: 'slash_commands', ack: { late: false } });
  });

  it('delivers events wrapped in event_callback and redelivery fields as retry_num', async () => {
    const fake = await startFake();
    const client = socketClient(fake);
    const seen: Array<{ retry: number | undefined; reason: string | undefined; eventId: unknown }> = [];
    client.on('app_mention', ({ ack, body, retry_num, retry_reason }: ListenerArgs) => {
      seen.push({ retry: retry_num, reason: retry_reason, eventId: body.event_id });
      void ack();
    });
    await client.start();
    const first = await fake.sendEvent(mention);
    const again = await fake.sendEvent(mention, {
      eventId: first.eventId,
      retryAttempt: 1,
      retryReason: 'timeout',
    });
    expect([first.ack.acked, again.ack.acked]).toEqual([true, true]);
    expect(first.payload).toMatchObject({
      type: 'event_callback',
      team_id: 'T0TEAM',
      api_app_id: 'A0APP',
      event: mention,
    });
    expect(seen).toEqual([
      { retry: undefined, reason: undefined, eventId: first.eventId },
      { retry: 1, reason: 'timeout', eventId: first.eventId },
    ]);
  });

  it('resolves acked:false when the app never acks, and records a late ack', async () => {
    const fake = await startFake({ ackTimeoutMs: 100 });
    const client = socketClient(fake);
    client.on('slash_commands', ({ ack }: ListenerArgs) => {
      setTimeout(() => void ack(), 250);
    });
    await client.start();
    const result = await fake.sendEnvelope('slash_commands', { command: '/oncall', text: '' });
    expect(result.acked).toBe(false);
    expect(result.latencyMs).toBeGreaterThanOrEqual(99);
    const late = await fake.waitFor(() => fake.envelopes[0]?.ack);
    expect(late.late).toBe(true);
  });

  it('sees the client reconnect with a fresh ticket after a refresh_requested disconnect', async () => {
    const fake = await startFake();
    const client = socketClient(fake);
    client.on('slash_commands', ({ ack }: ListenerArgs) => void ack());
    await client.start();
    fake.disconnect('refresh_requested');
    await fake.waitForConnection({ count: 2 });
    const [old, current] = fake.connections;
    expect(old).toMatchObject({
      ended: 'client_close',
      closeCode: 1000,
      disconnectRequested: 'refresh_requested',
    });
    expect(current?.ticket).not.toBe(old?.ticket);
    expect(fake.callsTo('apps.connections.open')).toHaveLength(2);
    await expect(fake.sendEnvelope('slash_commands', { text: '' })).resolves.toMatchObject({ acked: true });
    expect(fake.envelopes[0]?.connectionId).toBe(current?.id);
  });

  it('sees the client come back after the connection is dropped abruptly', async () => {
    const fake = await startFake();
    const client = socketClient(fake);
    client.on('slash_commands', ({ ack }: ListenerArgs) => void ack());
    await client.start();
    fake.dropConnection();
    expect(fake.isConnected()).toBe(false);
    await fake.waitForConnection({ count: 2 });
    expect(fake.connections[0]).toMatchObject({ ended: 'dropped' });
    await expect(fake.sendEnvelope('slash_commands', { text: '' })).resolves.toMatchObject({ acked: true });
  });

  it('makes start() reject for a wrong app token', async () => {
    const fake = await startFake();
    await expect(socketClient(fake, 'xapp-1-wrong').start()).rejects.toMatchObject({
      data: { error: 'invalid_auth' },
    });
    expect(fake.connections).toEqual([]);
  });

  it('refuses to send an envelope with nobody connected, and stop() is idempotent', async () => {
    const fake = await startFake();
    await expect(fake.sendEnvelope('events_api', {})).rejects.toThrow(/no open Socket Mode connection/);
    await fake.stop();
    await fake.stop();
  });
});
