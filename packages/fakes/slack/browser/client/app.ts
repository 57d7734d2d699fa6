/**
 * The fake Slack page: fetches BrowserState, renders the channel, thread, Home tab and modals,
 * and posts what the user does. Regions are rebuilt only when their data changed, so typed text,
 * focus and modal inputs survive the live updates.
 */
import type {
  BrowserState,
  ClickRequest,
  UiEphemeral,
  UiFile,
  UiMessage,
  UiResult,
  UiView,
} from '../contract.js';
import {
  h,
  isObj,
  list,
  readInputs,
  renderBlocks,
  rich,
  showInputErrors,
  str,
  textObject,
  type Json,
  type RenderContext,
} from './blocks.js';
import { mrkdwnToHtml, type MrkdwnContext } from './mrkdwn.js';

const byId = <T extends HTMLElement>(id: string, type: new () => T): T => {
  const node = document.getElementById(id);
  if (!(node instanceof type)) throw new Error(`index.html lacks #${id}`);
  return node;
};

const ui = {
  team: byId('team-name', HTMLElement),
  navChannel: byId('nav-channel', HTMLButtonElement),
  navHome: byId('nav-home', HTMLButtonElement),
  switcher: byId('user-switcher', HTMLSelectElement),
  status: byId('app-status', HTMLElement),
  scenarios: byId('scenarios', HTMLElement),
  title: byId('main-title', HTMLElement),
  channelPane: byId('channel-pane', HTMLElement),
  messages: byId('messages', HTMLElement),
  commandForm: byId('command-form', HTMLFormElement),
  commandPrefix: byId('command-prefix', HTMLElement),
  commandInput: byId('command-input', HTMLInputElement),
  homePane: byId('home-pane', HTMLElement),
  thread: byId('thread-pane', HTMLElement),
  threadMessages: byId('thread-messages', HTMLElement),
  threadClose: byId('thread-close', HTMLButtonElement),
  replyForm: byId('reply-form', HTMLFormElement),
  replyInput: byId('reply-input', HTMLInputElement),
  modalLayer: byId('modal-layer', HTMLElement),
  confirmLayer: byId('confirm-layer', HTMLElement),
  toasts: byId('toasts', HTMLElement),
};

const page = {
  state: undefined as BrowserState | undefined,
  user: new URLSearchParams(location.search).get('user') ?? localStorage.getItem('fake-slack-user') ?? '',
  pane: 'channel' as 'channel' | 'home',
  threadTs: undefined as string | undefined,
  /** What each region was last built from; a region is rebuilt only when its key changes. */
  keys: new Map<string, string>(),
  /** Scroll the channel to its end on the next rebuild (the user just sent something). */
  stick: false,
};

// ---------------------------------------------------------------- talking to the server

async function post(path: string, body: object): Promise<UiResult> {
  let result: UiResult;
  try {
    const res = await fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const parsed: unknown = await res.json();
    result = isObj(parsed)
      ? parsed.ok === true
        ? { ok: true, ...(isObj(parsed.errors) ? { errors: stringRecord(parsed.errors) } : {}) }
        : { ok: false, error: str(parsed.error) ?? `HTTP ${String(res.status)}` }
      : { ok: false, error: `HTTP ${String(res.status)}` };
    if (result.ok && isObj(parsed)) {
      const message = str(parsed.message);
      if (message !== undefined) result.message = message;
    }
  } catch (error) {
    result = { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  if (!result.ok) toast(result.error, 'error');
  void refresh();
  return result;
}

const stringRecord = (o: Json): Record<string, string> =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, str(v) ?? JSON.stringify(v)]));

let inFlight = false;
let again = false;

/** Fetches the state; at most one request at a time, and one more if a change came meanwhile. */
async function refresh(): Promise<void> {
  if (inFlight) {
    again = true;
    return;
  }
  inFlight = true;
  try {
    do {
      again = false;
      const res = await fetch(`/ui/state?user=${encodeURIComponent(page.user)}`);
      if (!res.ok) throw new Error(`state: HTTP ${String(res.status)}`);
      const next = (await res.json()) as BrowserState;
      const shown = page.state;
      if (shown && shown.currentUser === next.currentUser && next.version < shown.version) continue;
      if (next.currentUser !== page.user && next.users.some((u) => u.id === page.user)) {
        again = true; // the user was switched while this request was out
        continue;
      }
      render(next);
    } while (again);
  } catch (error) {
    serverLost(error instanceof Error ? error.message : String(error));
  } finally {
    inFlight = false;
  }
}

/** The page cannot reach the fake: whether the app is connected is unknown, so say disconnected. */
function serverLost(why: string): void {
  ui.status.textContent = `○ disconnected (fake Slack unreachable: ${why})`;
  ui.status.className = 'status status-off';
}

function setUser(user: string): void {
  page.user = user;
  localStorage.setItem('fake-slack-user', user);
  const url = new URL(location.href);
  url.searchParams.set('user', user);
  history.replaceState(null, '', url);
}

// ---------------------------------------------------------------- small UI pieces

function toast(text: string, kind: 'ok' | 'error'): void {
  const node = h('div', { class: `toast toast-${kind}`, 'data-testid': 'toast', role: 'status' }, text);
  ui.toasts.append(node);
  setTimeout(() => {
    node.remove();
  }, 6000);
}

/** Slack's confirm object as an in-page dialog; resolves true on confirm. */
function confirmDialog(confirm: Json): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (answer: boolean) => {
      ui.confirmLayer.replaceChildren();
      resolve(answer);
    };
    const ok = h(
      'button',
      {
        class: `btn ${confirm.style === 'danger' ? 'btn-danger' : 'btn-primary'}`,
        'data-testid': 'confirm-ok',
      },
      plainText(confirm.confirm) || 'Confirm',
    );
    const cancel = h(
      'button',
      { class: 'btn', 'data-testid': 'confirm-cancel' },
      plainText(confirm.deny) || 'Cancel',
    );
    ok.addEventListener('click', () => {
      done(true);
    });
    cancel.addEventListener('click', () => {
      done(false);
    });
    const dialog = h(
      'div',
      { class: 'dialog confirm', role: 'dialog', 'aria-modal': 'true', 'data-testid': 'confirm-dialog' },
      h('div', { class: 'dialog-title' }, plainText(confirm.title) || 'Are you sure?'),
      h('div', { class: 'dialog-body' }, textObject(confirm.text, mrkdwnCtx())),
      h('div', { class: 'dialog-footer' }, cancel, ok),
    );
    ui.confirmLayer.replaceChildren(h('div', { class: 'overlay' }, dialog));
    ok.focus();
  });
}

const plainText = (t: unknown): string => (isObj(t) ? (str(t.text) ?? '') : '');

const mrkdwnCtx = (): MrkdwnContext => ({ userName });

function userName(id: string): string | undefined {
  const s = page.state;
  if (!s) return undefined;
  if (id === s.bot.userId) return s.bot.name;
  return s.users.find((u) => u.id === id)?.name;
}

/** The render context for blocks at `where` (a message/ephemeral, or a view). */
function blockCtx(where: Pick<ClickRequest, 'channel' | 'ts' | 'viewId'>): RenderContext {
  return {
    userName,
    users: page.state?.users ?? [],
    onAction: (button, element) => {
      void click(button, element, where);
    },
  };
}

async function click(
  control: HTMLButtonElement | HTMLAnchorElement | HTMLSelectElement,
  element: Json,
  where: Pick<ClickRequest, 'channel' | 'ts' | 'viewId'>,
): Promise<void> {
  if (isObj(element.confirm) && !(await confirmDialog(element.confirm))) return;
  const value = str(element.value);
  const body: ClickRequest = {
    user: page.user,
    actionId: str(element.action_id) ?? '',
    ...(value !== undefined ? { value } : {}),
    ...where,
  };
  // A link stays a link: only a button or a menu is disabled while its click is on the way.
  const button =
    control instanceof HTMLButtonElement || control instanceof HTMLSelectElement ? control : undefined;
  if (button) button.disabled = true;
  const result = await post('/ui/click', body);
  if (button) button.disabled = false;
  if (result.ok && result.message !== undefined) toast(result.message, 'ok');
}

const formatTs = (ts: string): string =>
  new Date(Number(ts) * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

function content(m: { text?: string; blocks?: unknown[] }, ctx: RenderContext): HTMLElement {
  if (m.blocks !== undefined && m.blocks.length > 0) return renderBlocks(m.blocks, ctx);
  return rich('div', mrkdwnToHtml(m.text ?? '', ctx), 'message-text');
}

function avatar(name: string, isBot: boolean): HTMLElement {
  return h(
    'div',
    { class: `avatar${isBot ? ' avatar-bot' : ''}`, 'aria-hidden': 'true' },
    name.charAt(0).toUpperCase(),
  );
}

const replies = (n: number): string => `${String(n)} ${n === 1 ? 'reply' : 'replies'}`;

const size = (bytes: number): string =>
  bytes < 1024 ? `${String(bytes)} B` : `${(bytes / 1024).toFixed(1)} kB`;

/** A shared file: its title, name and size, and its text behind a View toggle (as Slack's preview). */
function fileEl(f: UiFile): HTMLElement {
  const text = h('pre', { class: 'file-text', 'data-testid': 'file-text', hidden: '' }, f.text);
  const toggle = h('button', { class: 'file-view', 'data-testid': 'file-view', type: 'button' }, 'View');
  toggle.addEventListener('click', () => {
    text.hidden = !text.hidden;
    toggle.textContent = text.hidden ? 'View' : 'Hide';
  });
  return h(
    'div',
    { class: 'file', 'data-testid': 'file', 'data-file-name': f.name },
    h(
      'div',
      { class: 'file-head' },
      h('span', { class: 'file-icon', 'aria-hidden': 'true' }, '📄'),
      h('span', { class: 'file-title' }, f.title),
      h('span', { class: 'file-meta' }, `${f.name} · ${size(f.size)}`),
      toggle,
    ),
    text,
  );
}

function messageEl(m: UiMessage, channel: string, inThread: boolean): HTMLElement {
  const meta = h(
    'div',
    { class: 'meta' },
    h('span', { class: 'author' }, m.userName),
    m.isBot ? h('span', { class: 'badge' }, 'APP') : undefined,
    h('span', { class: 'time', title: m.ts }, formatTs(m.ts)),
  );
  const body = h('div', { class: 'body' }, meta, content(m, blockCtx({ channel, ts: m.ts })));
  for (const f of m.files ?? []) body.append(fileEl(f));
  const footer = h('div', { class: 'message-footer' });
  if (m.edited) footer.append(h('span', { class: 'edited' }, '(edited)'));
  if (m.reactions.length > 0)
    footer.append(
      h(
        'div',
        { class: 'reactions' },
        ...m.reactions.map((r) => h('span', { class: 'reaction' }, `:${r.name}: ${String(r.count)}`)),
      ),
    );
  if (!inThread && m.replies.length > 0) {
    const link = h(
      'button',
      { class: 'open-thread', 'data-testid': 'open-thread' },
      replies(m.replies.length),
    );
    link.addEventListener('click', () => {
      page.threadTs = m.ts;
      if (page.state) render(page.state);
      ui.replyInput.focus();
    });
    footer.append(link);
  }
  if (footer.childElementCount > 0) body.append(footer);
  return h(
    'div',
    { class: 'message', 'data-testid': 'message', 'data-ts': m.ts, 'data-user': m.user },
    avatar(m.userName, m.isBot),
    body,
  );
}

function ephemeralEl(e: UiEphemeral, botName: string): HTMLElement {
  const meta = h(
    'div',
    { class: 'meta' },
    h('span', { class: 'author' }, botName),
    h('span', { class: 'badge' }, 'APP'),
    h('span', { class: 'time' }, formatTs(e.ts)),
    h('span', { class: 'only-you' }, 'Only visible to you'),
  );
  return h(
    'div',
    { class: 'message ephemeral', 'data-testid': 'ephemeral', 'data-ts': e.ts },
    avatar(botName, true),
    h('div', { class: 'body' }, meta, content(e, blockCtx({ channel: e.channel, ts: e.ts }))),
  );
}

/** Messages and ephemerals interleaved by ts. */
function timeline(items: Array<{ ts: string; node: () => HTMLElement }>): HTMLElement[] {
  return items.sort((a, b) => Number(a.ts) - Number(b.ts)).map((i) => i.node());
}

/** Rebuilds `region` when `key` differs from the last build; keeps the scroll at the bottom if it was. */
function update(name: string, region: HTMLElement, key: string, build: () => Node[]): void {
  if (page.keys.get(name) === key) return;
  page.keys.set(name, key);
  const atBottom = region.scrollHeight - region.scrollTop - region.clientHeight < 40;
  const top = region.scrollTop;
  region.replaceChildren(...build());
  const stick = page.stick && (name === 'channel' || name === 'thread');
  if (stick) page.stick = false;
  region.scrollTop = atBottom || stick ? region.scrollHeight : top;
}

// ---------------------------------------------------------------- rendering the state

function render(s: BrowserState): void {
  const userChanged = page.state?.currentUser !== s.currentUser;
  page.state = s;
  if (s.currentUser !== page.user) setUser(s.currentUser);
  if (userChanged) page.keys.clear();

  ui.team.textContent = s.team.name;
  ui.navChannel.textContent = `# ${s.channel.name}`;
  ui.status.textContent = s.appConnected ? '● app connected' : '○ app disconnected';
  ui.status.className = `status ${s.appConnected ? 'status-on' : 'status-off'}`;
  ui.commandPrefix.textContent = s.command;
  ui.commandInput.placeholder = `Run ${s.command} …`;
  ui.replyInput.placeholder = `Reply… (mention @${s.bot.name} to ask the app about this incident)`;
  update('users', ui.switcher, JSON.stringify(s.users), () =>
    s.users.map((u) => h('option', { value: u.id }, `${u.name} — ${u.role}`)),
  );
  ui.switcher.value = s.currentUser;
  renderScenarios(s);

  const home = page.pane === 'home';
  ui.navChannel.classList.toggle('active', !home);
  ui.navHome.classList.toggle('active', home);
  ui.channelPane.hidden = home;
  ui.homePane.hidden = !home;
  ui.title.textContent = home ? `Home — ${s.bot.name}` : `# ${s.channel.name}`;

  const channelEphemerals = s.ephemerals.filter((e) => e.threadTs === undefined);
  update('channel', ui.messages, JSON.stringify([s.channel, channelEphemerals]), () => {
    const nodes = timeline([
      ...s.channel.messages.map((m) => ({ ts: m.ts, node: () => messageEl(m, s.channel.id, false) })),
      ...channelEphemerals.map((e) => ({ ts: e.ts, node: () => ephemeralEl(e, s.bot.name) })),
    ]);
    return nodes.length > 0 ? nodes : [h('div', { class: 'empty' }, 'No messages yet.')];
  });

  renderThread(s);
  update('home', ui.homePane, JSON.stringify(s.home ?? null), () => {
    if (!s.home) return [h('div', { class: 'empty' }, 'The app has not published a Home tab yet…')];
    const id = s.home.id;
    return [renderBlocks(list(s.home.view.blocks), blockCtx({ viewId: id }))];
  });
  renderModal(s.modals.at(-1));
}

function renderThread(s: BrowserState): void {
  const parent = s.channel.messages.find((m) => m.ts === page.threadTs);
  if (!parent) page.threadTs = undefined;
  ui.thread.hidden = !parent;
  document.body.classList.toggle('with-thread', parent !== undefined);
  const ephemerals = s.ephemerals.filter((e) => parent !== undefined && e.threadTs === parent.ts);
  update('thread', ui.threadMessages, JSON.stringify([parent ?? null, ephemerals]), () => {
    if (!parent) return [];
    return [
      messageEl(parent, s.channel.id, true),
      h('div', { class: 'thread-count' }, replies(parent.replies.length)),
      ...timeline([
        ...parent.replies.map((m) => ({ ts: m.ts, node: () => messageEl(m, s.channel.id, true) })),
        ...ephemerals.map((e) => ({ ts: e.ts, node: () => ephemeralEl(e, s.bot.name) })),
      ]),
    ];
  });
}

function renderScenarios(s: BrowserState): void {
  ui.scenarios.hidden = s.scenarios.length === 0;
  update('scenarios', ui.scenarios, JSON.stringify([s.scenarios, s.notes]), () => [
    h('div', { class: 'sidebar-heading' }, 'Scenarios'),
    ...s.notes.map((n) => h('div', { class: 'note' }, n)),
    ...s.scenarios.map((sc) => {
      const run = h('button', { class: 'scenario', 'data-testid': `scenario-${sc.name}` }, sc.title);
      run.addEventListener('click', () => {
        run.disabled = true;
        void post(`/ui/scenarios/${encodeURIComponent(sc.name)}`, {}).then((r) => {
          run.disabled = false;
          if (r.ok) toast(r.message ?? `${sc.title}: done`, 'ok');
        });
      });
      return h('div', { class: 'scenario-item' }, run, h('div', { class: 'explanation' }, sc.explanation));
    }),
  ]);
}

function renderModal(top: UiView | undefined): void {
  const key = top ? `${top.id} ${JSON.stringify(top.view)}` : '';
  if (page.keys.get('modal') === key) return;
  page.keys.set('modal', key);
  if (!top) {
    ui.modalLayer.replaceChildren();
    return;
  }
  const { id, view } = top;
  const blocks = renderBlocks(list(view.blocks), blockCtx({ viewId: id }));
  const close = h(
    'button',
    { class: 'btn', 'data-testid': 'modal-close' },
    plainText(view.close) || 'Cancel',
  );
  const footer = h('div', { class: 'dialog-footer' }, close);
  close.addEventListener('click', () => {
    void post('/ui/close', { user: page.user, viewId: id });
  });
  if (isObj(view.submit)) {
    const submit = h(
      'button',
      { class: 'btn btn-primary', 'data-testid': 'modal-submit' },
      plainText(view.submit),
    );
    submit.addEventListener('click', () => {
      submit.disabled = true;
      void post('/ui/submit', { user: page.user, viewId: id, values: readInputs(blocks) }).then((r) => {
        submit.disabled = false;
        showInputErrors(blocks, r.ok && r.errors ? r.errors : {});
      });
    });
    footer.append(submit);
  }
  const dialog = h(
    'div',
    {
      class: 'dialog modal',
      role: 'dialog',
      'aria-modal': 'true',
      'data-testid': 'modal',
      'data-view-id': id,
    },
    h('div', { class: 'dialog-title' }, plainText(view.title) || 'Modal'),
    h('div', { class: 'dialog-body' }, blocks),
    footer,
  );
  ui.modalLayer.replaceChildren(h('div', { class: 'overlay' }, dialog));
  dialog.querySelector<HTMLElement>('input, textarea, select')?.focus();
}

// ---------------------------------------------------------------- wiring

function showPane(pane: 'channel' | 'home'): void {
  page.pane = pane;
  if (pane === 'home') void post('/ui/home', { user: page.user });
  if (page.state) render(page.state);
}

ui.navChannel.addEventListener('click', () => {
  showPane('channel');
});
ui.navHome.addEventListener('click', () => {
  showPane('home');
});
ui.switcher.addEventListener('change', () => {
  setUser(ui.switcher.value);
  if (page.pane === 'home') void post('/ui/home', { user: page.user });
  else void refresh();
});
ui.threadClose.addEventListener('click', () => {
  page.threadTs = undefined;
  if (page.state) render(page.state);
});

ui.commandForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const command = page.state?.command ?? '';
  let text = ui.commandInput.value.trim();
  if (command !== '' && text.startsWith(command)) text = text.slice(command.length).trim();
  ui.commandInput.value = '';
  page.stick = true;
  void post('/ui/command', { user: page.user, text });
});
ui.replyForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const text = ui.replyInput.value.trim();
  if (text === '' || page.threadTs === undefined) return;
  ui.replyInput.value = '';
  page.stick = true;
  void post('/ui/reply', { user: page.user, text, threadTs: page.threadTs });
});

const events = new EventSource('/ui/events');
events.addEventListener('change', () => void refresh());
events.addEventListener('open', () => void refresh());
events.addEventListener('error', () => {
  serverLost('reconnecting…');
});
void refresh();
