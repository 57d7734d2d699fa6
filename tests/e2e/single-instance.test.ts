import { describe, expect, it } from 'vitest';
import { FakeSlack } from '@auth0-oncall/fakes/slack';
import { spawnApp } from '../../sandbox/app-process.js';
import { testScope } from '../helpers/world.js';
import { validEnv } from '../helpers/env.js';

const scope = testScope('instance');

const sharedDb = scope.dbPath();

describe('one instance per database', () => {
  it('refuses a second process on the same database, and lets a restart after kill -9 run', async () => {
    const fake = await FakeSlack.start();
    scope.defer(() => fake.stop());
    const env = validEnv({
      SLACK_BOT_TOKEN: fake.options.botToken,
      SLACK_APP_TOKEN: fake.options.appToken,
      SLACK_API_URL: fake.apiUrl,
      DATABASE_PATH: sharedDb,
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: '0',
      LOG_LEVEL: 'info',
    });

    const first = spawnApp(env);
    scope.defer(() => first.stop());
    await first.waitForLog('app.ready', 20_000);

    const second = spawnApp(env);
    scope.defer(() => second.stop());
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
    scope.defer(() => restarted.stop());
    await restarted.waitForLog('app.ready', 20_000);
  });
});
