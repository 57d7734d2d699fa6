import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { waitFor } from '@auth0-oncall/fakes/slack';

/**
 * The built app as a child process, configured only through its environment: the sandbox, the
 * end-to-end tests and the startup benchmark start it from here.
 */

export const projectRoot = fileURLToPath(new URL('../', import.meta.url));
export const builtEntry = fileURLToPath(new URL('../dist/src/main.js', import.meta.url));
/**
 * The Node flags the app runs with, here as in the Dockerfile's CMD and `npm start` (a unit test
 * keeps the three the same). V8's young generation otherwise grows to tens of MB under a burst of
 * reads and stays that size: with 4 MB semi-spaces, the app on a 1M-event store peaked at about
 * 150 MB of RSS instead of about 200 MB (docs/production.md, "Resource needs").
 */
export const appNodeFlags = ['--max-semi-space-size=4'] as const;

export interface AppProcess {
  readonly child: ChildProcess;
  readonly startedAt: number;
  /** Parsed JSON log lines from stdout, in order. */
  readonly logs: Array<Record<string, unknown>>;
  readonly stderr: () => string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  waitForLog(event: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  stop(): Promise<void>;
}

/**
 * Starts the built app exactly as `npm start` does, with only the environment given (plus PATH),
 * so nothing from the test runner's environment leaks in.
 */
export const spawnApp = (env: Record<string, string | undefined>): AppProcess => {
  if (!existsSync(builtEntry))
    throw new Error(`${builtEntry} is missing: run \`npm run build\` first (npm test does)`);
  const clean = Object.fromEntries(
    Object.entries({ PATH: process.env.PATH, ...env }).filter(([, v]) => v !== undefined),
  );
  const child = spawn(process.execPath, [...appNodeFlags, builtEntry], {
    cwd: projectRoot,
    env: clean,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const startedAt = performance.now();
  const logs: Array<Record<string, unknown>> = [];
  let err = '';
  let partial = '';
  child.stdout.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        logs.push({ raw: line });
      }
    }
  });
  child.stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => {
      resolve({ code, signal });
    });
  });
  return {
    child,
    startedAt,
    logs,
    stderr: () => err,
    exited,
    waitForLog: (event, timeoutMs = 30_000) =>
      // Fails at once when the process exits first, with what it said, instead of at the timeout.
      Promise.race([
        waitFor(() => logs.find((l) => l.event === event), { timeoutMs }),
        exited.then(({ code }) => {
          const found = logs.find((l) => l.event === event);
          if (found) return found;
          throw new Error(`the app exited (${String(code)}) before logging "${event}"; stderr: ${err}`);
        }),
      ]).catch((e: unknown) => {
        throw new Error(
          `no "${event}" log: ${e instanceof Error ? e.message : String(e)}; logs: ${JSON.stringify(logs.slice(-5))}`,
          {
            cause: e,
          },
        );
      }),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
};
