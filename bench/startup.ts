/**
 * Start-up and shutdown of the built app (`node dist/src/main.js`, as `npm start`; run
 * `npm run build` first), against a fake Slack and a fake tenant: spawn → the fake Slack sees its
 * Socket Mode connection, spawn → /healthz answers 200, then SIGTERM → the process has exited,
 * and what it logged at error level while stopping (nothing is the check).
 *
 *   npx tsx bench/startup.ts [runs=10]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeAuth0 } from '@auth0-oncall/fakes/auth0';
import { FakeSlack } from '@auth0-oncall/fakes/slack';
import { spawnApp } from '../sandbox/app-process.js';
import { BOT_CLIENT, benchEnv } from './app-env.js';
import { finish, percentile } from './report.js';

const runs = Number(process.argv[2] ?? 10);
const dir = mkdtempSync(join(tmpdir(), 'auth0-oncall-startup-'));
const auth0 = await FakeAuth0.start({ logRateLimits: false });
auth0.addClient(BOT_CLIENT);
/** Polls /healthz every 5 ms until it answers 200; 5 s is a failure, not a figure. */
const untilHealthy = async (port: number) => {
  const deadline = performance.now() + 5_000;
  while ((await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined))?.status !== 200) {
    if (performance.now() > deadline) throw new Error(`/healthz on port ${port} not 200 within 5 s`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};
const connected: number[] = [];
const healthy: number[] = [];
const stopped: number[] = [];
const errors: string[] = [];
let badExits = 0;
for (let i = 0; i < runs; i += 1) {
  const slack = await FakeSlack.start();
  const app = spawnApp(
    benchEnv({
      SLACK_BOT_TOKEN: slack.options.botToken,
      SLACK_APP_TOKEN: slack.options.appToken,
      SLACK_API_URL: slack.apiUrl,
      AUTH0_BASE_URL: auth0.baseUrl,
      DATABASE_PATH: join(dir, `run-${i}.db`),
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: '0',
    }),
  );
  await slack.waitForConnection({ timeoutMs: 20_000 });
  connected.push(performance.now() - app.startedAt);
  const { port } = (await app.waitForLog('http.listening')) as { port: number };
  await untilHealthy(port);
  healthy.push(performance.now() - app.startedAt);
  // Stopped once it is running, not mid-start: start-up's own checks finish first.
  await app.waitForLog('app.ready');
  const from = app.logs.length;
  const t = performance.now();
  app.child.kill('SIGTERM');
  const exit = await app.exited;
  stopped.push(performance.now() - t);
  if (exit.code !== 0) badExits += 1;
  for (const line of app.logs.slice(from))
    if (line.level === 'error' || line.level === 'fatal') errors.push(JSON.stringify(line));
  await slack.stop();
}
await auth0.stop();
rmSync(dir, { recursive: true, force: true });

const stat = (xs: number[]) =>
  `median ${Math.round(percentile(xs, 50))} ms, max ${Math.round(percentile(xs, 100))} ms`;
console.log(
  `startup: spawn → Socket Mode connected: ${stat(connected)}; spawn → /healthz 200: ${stat(healthy)} (${runs} runs)`,
);
console.log(`shutdown: SIGTERM → exit: ${stat(stopped)}; ${errors.length} error lines logged while stopping`);
for (const line of errors) console.log(`  ${line}`);
finish({
  metrics: { connectedMs: connected, healthyMs: healthy, exitMs: stopped, shutdownErrors: errors.length },
  checks: {
    'exit code 0 after SIGTERM': badExits === 0,
    'no error logged while stopping': errors.length === 0,
  },
  info: { runs },
});
