/** The parent's side of bench/fake-slack-process.ts: a fake Slack in its own process. */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface ClickRequest {
  readonly type: 'clicks';
  readonly id: number;
  readonly channelId: string;
  readonly users: readonly string[];
  readonly targets: ReadonlyArray<{ actionId: string; messageTs: string }>;
  readonly clicks: number;
  readonly concurrency: number;
}
export type ToSlackProcess = ClickRequest | { readonly type: 'stop' };
export type FromSlackProcess =
  | { type: 'ready'; apiUrl: string; botToken: string; appToken: string }
  | { type: 'clicked'; id: number; latencies: number[]; unacked: number; busy: number }
  | { type: 'failed'; id: number; error: string };

export interface RemoteSlack {
  readonly apiUrl: string;
  readonly botToken: string;
  readonly appToken: string;
  readonly pid: number;
  /** Latencies as the fake saw them; `busy`: the fake's own event-loop utilization meanwhile (0–1). */
  click(
    request: Omit<ClickRequest, 'type' | 'id'>,
  ): Promise<{ latencies: number[]; unacked: number; busy: number }>;
  stop(): Promise<void>;
}

export const startRemoteSlack = async (): Promise<RemoteSlack> => {
  const child = fork(fileURLToPath(new URL('fake-slack-process.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      resolve();
    }),
  );
  const ready = await new Promise<Extract<FromSlackProcess, { type: 'ready' }>>((resolve, reject) => {
    child.once('message', (m: FromSlackProcess) => {
      if (m.type === 'ready') resolve(m);
      else reject(new Error(`fake Slack process: ${m.type} before ready`));
    });
    child.once('exit', (code) => {
      reject(new Error(`fake Slack process exited (${String(code)})`));
    });
  });
  let ids = 0;
  return {
    apiUrl: ready.apiUrl,
    botToken: ready.botToken,
    appToken: ready.appToken,
    pid: child.pid ?? 0,
    click: (request) => {
      ids += 1;
      const id = ids;
      return new Promise((resolve, reject) => {
        const onMessage = (m: FromSlackProcess) => {
          if (m.type === 'ready' || m.id !== id) return;
          child.off('message', onMessage);
          if (m.type === 'clicked') resolve({ latencies: m.latencies, unacked: m.unacked, busy: m.busy });
          else reject(new Error(`fake Slack process: ${m.error}`));
        };
        child.on('message', onMessage);
        child.send({ ...request, type: 'clicks', id } satisfies ClickRequest);
      });
    },
    stop: async () => {
      child.send({ type: 'stop' } satisfies ToSlackProcess);
      await exited;
    },
  };
};
