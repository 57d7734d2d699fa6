import { HOME_REFRESH_ACTION, homeView, type HomeInput, type HomeView } from './blocks/home-view.js';
import type { Listeners } from './listener-table.js';

export type { DependencyHealth, HomeInput } from './blocks/home-view.js';

/** The one Web API method the Home tab needs; a `webApi.WebClient` fits. */
interface HomeViewsClient {
  readonly views: {
    publish(args: { user_id: string; view: HomeView }): Promise<unknown>;
  };
}

export interface HomePublisherOptions {
  readonly client: HomeViewsClient;
  /** Gathers what the dashboard shows (the composition root writes it). */
  build(userId: string): Promise<HomeInput>;
  /** Operators also see the latest audit entries. */
  isOperator(userId: string): Promise<boolean> | boolean;
  readonly now?: () => Date;
  /** At most one republish per window after `changed()`; default 10 s. */
  readonly throttleMs?: number;
  /** Who opened the tab within this long is kept current; default 30 min. */
  readonly recentMs?: number;
  onError(err: unknown, userId: string): void;
}

export interface HomePublisher {
  /** Publishes the dashboard for a user who just opened (or refreshed) the tab. */
  opened(userId: string): Promise<void>;
  /** State changed: republish for recent viewers, coalesced, at most once per window. */
  changed(): void;
  readonly register: (app: Listeners) => void;
  /** Cancels a pending republish (shutdown, tests). */
  stop(): void;
}

export const createHomePublisher = (options: HomePublisherOptions): HomePublisher => {
  const now = options.now ?? (() => new Date());
  const throttleMs = options.throttleMs ?? 10_000;
  const recentMs = options.recentMs ?? 30 * 60_000;
  // Who opened the tab, and when: only they are republished, so a change costs O(viewers).
  const viewers = new Map<string, number>();
  let timer: NodeJS.Timeout | undefined;

  const publish = async (userId: string): Promise<void> => {
    try {
      const [input, isOperator] = await Promise.all([options.build(userId), options.isOperator(userId)]);
      await options.client.views.publish({ user_id: userId, view: homeView({ ...input, isOperator }) });
    } catch (err) {
      options.onError(err, userId);
    }
  };

  const recentViewers = (): string[] => {
    const cutoff = now().getTime() - recentMs;
    for (const [userId, at] of viewers) if (at < cutoff) viewers.delete(userId);
    return [...viewers.keys()];
  };

  const flush = async () => {
    timer = undefined;
    await Promise.all(recentViewers().map(publish));
  };

  const opened = (userId: string): Promise<void> => {
    viewers.set(userId, now().getTime());
    return publish(userId);
  };

  return {
    opened,
    changed() {
      // Trailing and coalesced: a burst of changes (card posted, runbook attached, ack) is one publish.
      if (timer !== undefined || viewers.size === 0) return;
      timer = setTimeout(() => {
        // publish() reports its own failures; anything else is a bug, still reported, never unhandled.
        flush().catch((err: unknown) => {
          options.onError(err, 'recent viewers');
        });
      }, throttleMs);
    },
    stop() {
      clearTimeout(timer);
      timer = undefined;
    },
    register: (app) => {
      app.event('app_home_opened', async ({ event }) => {
        // The event also fires for the Messages tab, which has no view to publish.
        if (event.tab !== 'home') return;
        await opened(event.user);
      });
      app.action(HOME_REFRESH_ACTION, async ({ ack, body }) => {
        await ack();
        await opened(body.user.id);
      });
    },
  };
};
