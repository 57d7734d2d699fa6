import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { FakeSlack, SlackDriver } from '@auth0-oncall/fakes/slack';
import { backupDatabase } from '../../src/store/index.js';
import { CountingActions } from '../unit/core/steps/counting-catalog.js';
import { actionStep, bootStepApp, CHANNEL, openIncident, rawClick, type StepApp } from './steps-world.js';

const dir = mkdtempSync(join(tmpdir(), 'auth0-oncall-restore-'));
const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const settle = async (s: StepApp) => {
  await s.runner.idle();
  await s.app.incidents.service.serialize(() => Promise.resolve());
};

/** The restore of docs/backup-and-restore.md: the backup replaces the file, its WAL and SHM go. */
const restore = (backup: string, dbPath: string) => {
  for (const file of [dbPath, `${dbPath}-wal`, `${dbPath}-shm`]) rmSync(file, { force: true });
  copyFileSync(backup, dbPath);
};

describe('restoring a backup', () => {
  it('starts from a restored backup with no second card for an open incident and no step run twice', async () => {
    const slack = await FakeSlack.start();
    cleanup.push(() => slack.stop());
    const actions = new CountingActions();
    const dbPath = join(dir, 'app.db');
    const backupDir = join(dir, 'backups');
    const boot = async () => {
      const s = await bootStepApp(slack, dbPath, actions);
      cleanup.push(() => s.stop());
      return s;
    };
    const topLevel = () =>
      slack.channelMessages(CHANNEL).filter((m) => m.threadTs === undefined || m.threadTs === m.ts);

    const first = await boot();
    const incident = await openIncident(first, 'inc_restore1', [actionStep('verify')]);
    const driver = new SlackDriver(slack, { command: '/auth0' });
    await driver.clickButton('U0OPERATOR', {
      actionId: 'step:inc_restore1:verify',
      channelId: CHANNEL,
      messageTs: incident.cardTs,
    });
    await settle(first);
    expect(actions.executions).toBe(1);
    const { file } = await backupDatabase(first.app.db, { dir: backupDir, retain: 3, now: new Date() });
    const cards = topLevel().length;
    await first.stop();

    // The disk is lost; the operator restores the newest backup and starts the app.
    restore(file, dbPath);
    const restored = await boot();
    await restored.app.incidents.service.repostMissingCards();
    await restored.app.incidents.evaluate();
    await settle(restored);

    expect(restored.incidents.get('inc_restore1')).toMatchObject({
      state: 'open',
      slackTs: incident.cardTs,
    });
    expect(topLevel()).toHaveLength(cards);

    const again = await rawClick(slack, 'U0ADMIN', {
      actionId: 'step:inc_restore1:verify',
      messageTs: incident.cardTs,
    });
    expect(again.acked).toBe(true);
    await settle(restored);
    expect(actions.executions).toBe(1);
    const told = await slack.waitFor(() =>
      slack
        .ephemeralsFor('U0ADMIN')
        .map((e) => e.text ?? '')
        .find((t) => t.startsWith('Already run')),
    );
    expect(told).toMatch(/^Already run by <@U0OPERATOR>/);
  });
});
