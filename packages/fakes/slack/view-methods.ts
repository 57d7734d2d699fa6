/** views.publish / open / push / update: Home tabs per user and modal stacks, with limits. */
import { BLOCK_KIT_LIMITS, checkViewLimits, viewByteLength } from './block-kit-limits.js';
import {
  argString,
  fail,
  isRecord,
  viewJson,
  type MethodContext,
  type MethodHandler,
} from './method-context.js';
import type { Json, StoredView } from './types.js';

// Slack stacks at most three modals.
const MAX_MODAL_STACK = 3;

/** Validates the `view` argument; returns it, or the error reply to send. */
function readView(ctx: MethodContext, type: 'home' | 'modal'): { view: Json } | { reply: Json } {
  const { view } = ctx.args;
  if (!isRecord(view))
    return {
      reply: fail('invalid_arguments', {
        response_metadata: { messages: ['[ERROR] missing required field: view'] },
      }),
    };
  if (view.type !== type) {
    return {
      reply: fail('invalid_arguments', {
        response_metadata: { messages: [`[ERROR] view.type must be ${type}`] },
      }),
    };
  }
  const violations = checkViewLimits(view);
  if (ctx.reportViolations(violations)) {
    const error = viewByteLength(view) > BLOCK_KIT_LIMITS.viewBytes ? 'view_too_large' : 'invalid_blocks';
    return { reply: fail(error, { response_metadata: { messages: violations.map((v) => `[ERROR] ${v}`) } }) };
  }
  return { view };
}

function consumeTrigger(ctx: MethodContext): { reply: Json } | { userId: string } {
  const check = ctx.workspace.consumeTriggerId(argString(ctx.args, 'trigger_id') ?? '');
  if (check.ok) return { userId: check.userId };
  return { reply: fail('invalid_arguments', { response_metadata: { messages: ['invalid `trigger_id`'] } }) };
}

const publish: MethodHandler = (ctx) => {
  const { workspace } = ctx;
  const userId = argString(ctx.args, 'user_id') ?? '';
  if (!workspace.user(userId)) return fail('user_not_found');
  const read = readView(ctx, 'home');
  if ('reply' in read) return read.reply;
  const { view } = read;
  const existing = workspace.homeView(userId);
  const hash = argString(ctx.args, 'hash');
  if (hash && existing && existing.hash !== hash) return fail('hash_conflict');
  const id = existing?.id ?? workspace.nextId('V');
  const stored: StoredView = {
    id,
    userId,
    type: 'home',
    view,
    hash: workspace.newViewHash(),
    open: true,
    rootViewId: id,
    previousViewId: null,
  };
  workspace.views.set(id, stored);
  return { ok: true, view: viewJson(stored, workspace) };
};

function openModal(ctx: MethodContext, push: boolean): Json {
  const { workspace } = ctx;
  const trigger = consumeTrigger(ctx);
  if ('reply' in trigger) return trigger.reply;
  const read = readView(ctx, 'modal');
  if ('reply' in read) return read.reply;
  const stack = workspace.openModals(trigger.userId);
  if (push && stack.length >= MAX_MODAL_STACK) return fail('push_limit_reached');
  const stored = workspace.addModal(trigger.userId, read.view, push ? stack.at(-1) : undefined);
  return { ok: true, view: viewJson(stored, workspace) };
}

function findView(ctx: MethodContext): StoredView | undefined {
  const viewId = argString(ctx.args, 'view_id');
  const externalId = argString(ctx.args, 'external_id');
  const views = [...ctx.workspace.views.values()];
  if (viewId) return views.find((v) => v.id === viewId);
  if (externalId) return views.find((v) => v.view.external_id === externalId);
  return undefined;
}

const updateView: MethodHandler = (ctx) => {
  const stored = findView(ctx);
  if (!stored || (stored.type === 'modal' && !stored.open)) return fail('not_found');
  const read = readView(ctx, stored.type);
  if ('reply' in read) return read.reply;
  const { view } = read;
  const hash = argString(ctx.args, 'hash');
  if (hash && hash !== stored.hash) return fail('hash_conflict');
  stored.view = view;
  stored.hash = ctx.workspace.newViewHash();
  return { ok: true, view: viewJson(stored, ctx.workspace) };
};

export const viewMethods: Record<string, MethodHandler> = {
  'views.publish': publish,
  'views.open': (ctx) => openModal(ctx, false),
  'views.push': (ctx) => openModal(ctx, true),
  'views.update': updateView,
};
