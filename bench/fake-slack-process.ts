/**
 * The fake Slack in a process of its own, so what it measures (envelope sent → ack received) is
 * what Slack would see, not time spent sharing the app's event loop. Started by
 * bench/remote-slack.ts over IPC; not run by hand.
 */
import { FakeSlack, SlackDriver } from '@auth0-oncall/fakes/slack';
import type { ClickRequest, FromSlackProcess, ToSlackProcess } from './remote-slack.js';

const send = (message: FromSlackProcess) => {
  process.send?.(message);
};
const slack = await FakeSlack.start();

/** `clicks` raw button clicks over `targets`, `concurrency` at a time; latencies as the fake saw them. */
const click = async (request: ClickRequest) => {
  const driver = new SlackDriver(slack, { channelId: request.channelId });
  const latencies: number[] = [];
  let unacked = 0;
  let next = 0;
  const worker = async () => {
    while (next < request.clicks) {
      const n = next;
      next += 1;
      const target = request.targets[n % request.targets.length];
      const user = request.users[n % request.users.length];
      if (!target || !user) throw new Error('no click target or user');
      const ack = await driver.rawClick(user, target);
      if (ack.acked) latencies.push(ack.latencyMs);
      else unacked += 1;
    }
  };
  // How busy the fake itself was: near 1, the clicker is the bottleneck, not the app it clicks.
  const before = performance.eventLoopUtilization();
  await Promise.all(Array.from({ length: request.concurrency }, worker));
  const busy = performance.eventLoopUtilization(before).utilization;
  send({ type: 'clicked', id: request.id, latencies, unacked, busy });
};

process.on('message', (message: ToSlackProcess) => {
  if (message.type === 'clicks') {
    void click(message).catch((err: unknown) => {
      send({ type: 'failed', id: message.id, error: String(err) });
    });
  } else {
    void slack.stop().then(() => process.exit(0));
  }
});
send({
  type: 'ready',
  apiUrl: slack.apiUrl,
  botToken: slack.options.botToken,
  appToken: slack.options.appToken,
});
