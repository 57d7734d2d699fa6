import type {
  AllMiddlewareArgs,
  App,
  BlockAction,
  SlackActionMiddlewareArgs,
  SlackCommandMiddlewareArgs,
  SlackEventMiddlewareArgs,
  SlackViewAction,
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
} from '@slack/bolt';

type Handler<Args> = (args: Args & AllMiddlewareArgs) => Promise<void> | void;
type ActionArgs = SlackActionMiddlewareArgs<BlockAction>;
type ViewArgs = SlackViewMiddlewareArgs;
type EventArgs = SlackEventMiddlewareArgs;

/** A modal's submission, by callback_id; or `{ callback_id, type: 'view_closed' }` for its closing. */
type ViewMatch = string | { readonly callback_id: string; readonly type: SlackViewAction['type'] };

/**
 * Where the Slack layer's modules register their listeners: the part of Bolt's App they use, with
 * the same shapes (block_actions by action_id, modals by callback_id, events by type, commands).
 */
export interface Listeners {
  action<A extends BlockAction = BlockAction>(
    actionId: string | RegExp,
    handler: Handler<SlackActionMiddlewareArgs<A>>,
  ): void;
  view<V extends SlackViewAction = ViewSubmitAction>(
    match: ViewMatch,
    handler: Handler<SlackViewMiddlewareArgs<V>>,
  ): void;
  event<E extends string>(type: E, handler: Handler<SlackEventMiddlewareArgs<E>>): void;
  command(name: string, handler: Handler<SlackCommandMiddlewareArgs>): void;
}

const matchesId = (pattern: string | RegExp, id: string): boolean =>
  typeof pattern === 'string' ? pattern === id : pattern.test(id);

/** Runs every matching handler, as Bolt runs every matching listener; a failure reaches Bolt's error handler. */
const runAll = async <Args>(handlers: ReadonlyArray<Handler<Args>>, args: Args & AllMiddlewareArgs) => {
  const settled = await Promise.allSettled(handlers.map(async (handle) => handle(args)));
  const failed = settled.find((s) => s.status === 'rejected');
  if (failed) throw failed.reason;
};

/**
 * A table of listeners installed into Bolt as one listener per kind of payload.
 *
 * Bolt runs the middleware chain of every registered listener for every envelope, matching or not:
 * with the app's eighteen listeners, each click went through eighteen chains before its own ack.
 * Here Bolt sees one listener for block actions, one for modals, one for events and one per
 * command, and the table finds the handlers by action_id, callback_id or event type, as Bolt's own
 * constraints would. Measured with bench/ack-latency.ts: a bare Bolt app given seventeen more
 * listeners that never match acked a burst of clicks at p50 10.5–13 ms instead of 7 ms; the app
 * spent 168–196 ms of CPU on 500 clicks with the table against 190–219 ms without it.
 */
export const createListenerTable = (): { readonly listeners: Listeners; install(bolt: App): void } => {
  const actions: Array<{ readonly id: string | RegExp; readonly handle: Handler<ActionArgs> }> = [];
  const views: Array<{
    readonly callbackId: string;
    readonly type: SlackViewAction['type'];
    readonly handle: Handler<ViewArgs>;
  }> = [];
  const events = new Map<string, Array<Handler<EventArgs>>>();
  const commands = new Map<string, Array<Handler<SlackCommandMiddlewareArgs>>>();

  const listeners: Listeners = {
    action(actionId, handler) {
      actions.push({ id: actionId, handle: handler as Handler<ActionArgs> });
    },
    view(match, handler) {
      const { callback_id: callbackId, type } =
        typeof match === 'string' ? { callback_id: match, type: 'view_submission' as const } : match;
      views.push({ callbackId, type, handle: handler as Handler<ViewArgs> });
    },
    event(type, handler) {
      events.set(type, [...(events.get(type) ?? []), handler as Handler<EventArgs>]);
    },
    command(name, handler) {
      commands.set(name, [...(commands.get(name) ?? []), handler]);
    },
  };

  return {
    listeners,
    install(bolt) {
      if (actions.length > 0) {
        bolt.action<BlockAction>({ type: 'block_actions' }, async (args) => {
          const id = args.action.action_id;
          await runAll(
            actions.filter((a) => matchesId(a.id, id)).map((a) => a.handle),
            args,
          );
        });
      }
      if (views.length > 0) {
        bolt.view({}, async (args) => {
          const { type } = args.body;
          const callbackId = args.view.callback_id;
          await runAll(
            views.filter((v) => v.type === type && v.callbackId === callbackId).map((v) => v.handle),
            args,
          );
        });
      }
      if (events.size > 0) {
        const types = new Set(events.keys());
        bolt.event(
          new RegExp(`^(?:${[...types].map((t) => t.replace(/[^a-z0-9_]/gi, '\\$&')).join('|')})$`),
          async (args) => {
            await runAll(events.get(args.event.type) ?? [], args);
          },
        );
      }
      for (const [name, handlers] of commands) {
        bolt.command(name, async (args) => {
          await runAll(handlers, args);
        });
      }
    },
  };
};
