/**
 * Start-to-connected: the built app (`node dist/src/main.js`, as `npm start`) from spawn until the
 * fake Slack sees its Socket Mode connection, and until /healthz answers 200. Run `npm run build`
 * first. Prints median and max over N runs.
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
  app.child.kill('SIGTERM');
  await app.exited;
  await slack.stop();
}
const stat = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return `median ${Math.round(s[Math.floor(s.length / 2)] ?? 0)} ms, max ${Math.round(s.at(-1) ?? 0)} ms`;
};
console.log(
  `startup: spawn → Socket Mode connected: ${stat(connected)}; spawn → /healthz 200: ${stat(healthy)} (${runs} runs)`,
);
await auth0.stop();
rmSync(dir, { recursive: true, force: true });
