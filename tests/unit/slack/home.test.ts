import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { checkViewLimits } from '@auth0-oncall/fakes/slack';
import type { IncidentStats } from '../../../src/core/incidents/incident-stats.js';
import type { HomeView } from '../../../src/slack/blocks/home-view.js';
import { createHomePublisher, type HomeInput } from '../../../src/slack/home.js';
import { createListenerTable } from '../../../src/slack/listener-table.js';
import { offlineBoltApp } from './offline-bolt-app.js';

const stats = (days: number): IncidentStats => {
  const none = { count: 0, mttaMs: undefined, mttrMs: undefined };
  return {
    days,
    open: { high: 0, medium: 0, low: 0, info: 0 },
    bySeverity: { all: none, high: none, medium: none, low: none, info: none },
  };
};

const anInput = (now: Date): HomeInput => ({
  incidents: [],
  permalink: () => undefined,
  dependencies: [{ name: 'Auth0', state: 'closed' }],
  intake: [],
  rotation: { title: 'Rotation', items: [] },
  stats: { week: stats(7), month: stats(30) },
  audit: [],
  now,
});

/** Records every publish; a hand-written stand-in for the WebClient's `views`. */
class RecordingViews {
  readonly published: Array<{ user_id: string; view: HomeView }> = [];
  fail = false;
  readonly views = {
    publish: (args: { user_id: string; view: HomeView }): Promise<unknown> => {
      if (this.fail) return Promise.reject(new Error('not_enabled'));
      this.published.push(args);
      return Promise.resolve({ ok: true });
    },
  };
  for(userId: string) {
    return this.published.filter((p) => p.user_id === userId);
  }
}

const setup = (opts: { throttleMs?: number; recentMs?: number } = {}) => {
  const client = new RecordingViews();
  const errors: unknown[] = [];
  const build = vi.fn((_userId: string) => Promise.resolve(anInput(new Date())));
  const home = createHomePublisher({
    client,
    build,
    isOperator: (userId) => userId === 'U0OPERATOR',
    ...opts,
    onError: (err) => errors.push(err),
  });
  return { client, errors, build, home };
};

describe('the Home publisher', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date('2026-03-02T09:00:00.000Z') });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('publishes a valid Home view for the user who opens the tab', async () => {
    const { client, home } = setup();
    await home.opened('U0ALICE');
    expect(client.for('U0ALICE')).toHaveLength(1);
    const view = client.published[0]!.view;
    expect(view.type).toBe('home');
    expect(checkViewLimits(view)).toEqual([]);
  });

  it('shows the audit section to operators only', async () => {
    const { client, home } = setup();
    await home.opened('U0OPERATOR');
    await home.opened('U0ALICE');
    expect(JSON.stringify(client.for('U0OPERATOR')[0]!.view)).toContain('Recent audit entries');
    expect(JSON.stringify(client.for('U0ALICE')[0]!.view)).not.toContain('Recent audit entries');
  });

  it('republishes once per recent viewer per window however many changes arrive', async () => {
    const { client, home } = setup({ throttleMs: 10_000 });
    await home.opened('U0ALICE');
    await home.opened('U0BOB');
    for (let i = 0; i < 50; i += 1) home.changed();
    await vi.advanceTimersByTimeAsync(9_999);
    expect(client.published).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(client.for('U0ALICE')).toHaveLength(2);
    expect(client.for('U0BOB')).toHaveLength(2);

    for (let i = 0; i < 50; i += 1) home.changed();
    await vi.advanceTimersByTimeAsync(30_000);
    expect(client.for('U0ALICE')).toHaveLength(3);
    expect(client.for('U0BOB')).toHaveLength(3);
  });

  it('does not republish for users who have not opened the tab recently', async () => {
    const { client, home } = setup({ throttleMs: 1_000, recentMs: 60_000 });
    await home.opened('U0STALE');
    await vi.advanceTimersByTimeAsync(61_000);
    await home.opened('U0FRESH');
    home.changed();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(client.for('U0FRESH')).toHaveLength(2);
    expect(client.for('U0STALE')).toHaveLength(1);
  });

  it('does nothing on a change when nobody is watching', async () => {
    const { client, build, home } = setup({ throttleMs: 1_000 });
    home.changed();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(client.published).toHaveLength(0);
    expect(build).not.toHaveBeenCalled();
  });

  it('reports a failed publish to onError instead of throwing', async () => {
    const { client, errors, home } = setup();
    client.fail = true;
    await expect(home.opened('U0ALICE')).resolves.toBeUndefined();
    expect(errors).toHaveLength(1);
  });

  it('cancels a pending republish on stop', async () => {
    const { client, home } = setup({ throttleMs: 1_000 });
    await home.opened('U0ALICE');
    home.changed();
    home.stop();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(client.published).toHaveLength(1);
  });
});

const homeOpened = (tab: 'home' | 'messages') => ({
  type: 'event_callback',
  team_id: 'T0TEAM',
  api_app_id: 'A0APP',
  event_id: `Ev${tab}`,
  event_time: 1,
  event: { type: 'app_home_opened', user: 'U0ALICE', channel: 'D0ALICE', tab, event_ts: '1.000001' },
});

describe('the Home listeners in Bolt', () => {
  it('publishes on app_home_opened for the Home tab and ignores the Messages tab', async () => {
    const { client, home } = setup();
    const app = offlineBoltApp();
    const table = createListenerTable();
    home.register(table.listeners);
    table.install(app);
    await app.processEvent({ body: homeOpened('messages'), ack: () => Promise.resolve() });
    expect(client.published).toHaveLength(0);
    await app.processEvent({ body: homeOpened('home'), ack: () => Promise.resolve() });
    expect(client.for('U0ALICE')).toHaveLength(1);
  });
});
