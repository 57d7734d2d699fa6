import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { FakeSlack } from '@auth0-oncall/fakes/slack';
import { spawnApp } from '../../sandbox/app-process.js';
import { validEnv } from '../helpers/env.js';

const dir = mkdtempSync(join(tmpdir(), 'auth0-oncall-instance-'));
const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('one instance per database', () => {
  it('refuses a second process on the same database, and lets a restart after kill -9 run', async () => {
    const fake = await FakeSlack.start();
    cleanup.push(() => fake.stop());
    const env = validEnv({
      SLACK_BOT_TOKEN: fake.options.botToken,
      SLACK_APP_TOKEN: fake.options.appToken,
      SLACK_API_URL: fake.apiUrl,
      DATABASE_PATH: join(dir, 'shared.db'),
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: '0',
      LOG_LEVEL: 'info',
    });

    const first = spawnApp(env);
    cleanup.push(() => first.stop());
    await first.waitForLog('app.ready', 20_000);

    const second = spawnApp(env);
    cleanup.push(() => second.stop());
    const { code } = await second.exited;
    expect(code).toBe(76);
    expect(second.stderr()).toMatch(
      new RegExp(
        `^auth0-oncall: cannot start: another auth0-oncall \\(pid ${String(first.child.pid)} on host .*\\) is running against DATABASE_PATH`,
      ),
    );
    expect(second.logs.some((l) => l.event === 'app.ready')).toBe(false);

    // The lock is the kernel's: it dies with the process, so nothing stale blocks the restart.
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    const restarted = spawnApp(env);
    cleanup.push(() => restarted.stop());
    await restarted.waitForLog('app.ready', 20_000);
  });
});
