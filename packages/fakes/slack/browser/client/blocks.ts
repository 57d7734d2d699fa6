/**
 * Block Kit as DOM. Text is set with textContent, or with innerHTML only from mrkdwn.ts (which
 * escapes everything). Anything this renderer does not know is shown as its JSON.
 */
import type { SubmitRequest, UiUser } from '../contract.js';
import { mrkdwnToHtml, plainToHtml, type MrkdwnContext } from './mrkdwn.js';

export type Json = Record<string, unknown>;

export const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
export const list = (v: unknown): unknown[] => (Array.isArray(v) ? (v as unknown[]) : []);

export interface RenderContext extends MrkdwnContext {
  users: readonly UiUser[];
  /** A button, a link button (Slack opens the link and sends the click too), or an option picked in a menu (the element then carries its `value`). */
  onAction(control: HTMLButtonElement | HTMLAnchorElement | HTMLSelectElement, element: Json): void;
}

type Child = Node | string | undefined;

/** Builds an element; `class` sets className, other attributes are set as given (never as HTML). */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined) continue;
    if (name === 'class') node.className = value;
    else node.setAttribute(name, value);
  }
  for (const child of children) if (child !== undefined) node.append(child);
  return node;
}

/** An element holding mrkdwn.ts output: the only innerHTML this page writes. */
export function rich(tag: 'div' | 'span', html: string, cls: string): HTMLElement {
  const node = h(tag, { class: cls });
  node.innerHTML = html;
  return node;
}

/** A text object (mrkdwn or plain_text). */
export function textObject(t: unknown, ctx: MrkdwnContext, cls = 'text'): HTMLElement {
  if (!isObj(t)) return h('span', { class: cls });
  const text = str(t.text) ?? '';
  return rich('span', t.type === 'mrkdwn' ? mrkdwnToHtml(text, ctx) : plainToHtml(text), cls);
}

const plain = (t: unknown): string => (isObj(t) ? (str(t.text) ?? '') : '');

const json = (v: unknown, cls = 'unsupported'): HTMLElement =>
  h('pre', { class: cls }, JSON.stringify(v, null, 2));

function chip(element: Json): HTMLElement {
  return h(
    'button',
    { class: 'chip', disabled: '', 'data-action-id': str(element.action_id), title: JSON.stringify(element) },
    `${str(element.type) ?? 'element'} ${JSON.stringify(element).slice(0, 80)}`,
  );
}

function safeUrl(url: string | undefined): string | undefined {
  return url !== undefined && /^(https?:\/\/|mailto:)/i.test(url) ? url : undefined;
}

function button(element: Json, ctx: RenderContext): HTMLElement {
  const style = str(element.style);
  const cls = `btn${style === 'primary' || style === 'danger' ? ` btn-${style}` : ''}`;
  const label = plain(element.text);
  const url = safeUrl(str(element.url));
  const actionId = str(element.action_id);
  if (url !== undefined) {
    const link = h('a', { class: cls, href: url, target: '_blank', rel: 'noopener noreferrer' }, label);
    link.dataset.actionId = actionId ?? '';
    // Slack opens the link and still sends the app a block_actions click, which it must ack.
    link.addEventListener('click', () => {
      ctx.onAction(link, element);
    });
    return link;
  }
  const node = h('button', { class: cls, type: 'button', 'data-action-id': actionId ?? '' }, label);
  node.addEventListener('click', () => {
    ctx.onAction(node, element);
  });
  return node;
}

/**
 * Images are shown as their alt text, linked: the machine is offline and the page's CSP only
 * allows its own images, so an <img> of the app's URL would only ever show as broken.
 */
function image(element: Json, cls: string): HTMLElement {
  const src = safeUrl(str(element.image_url));
  const label = `[image: ${str(element.alt_text) ?? ''}]`;
  if (src === undefined) return h('span', { class: `image ${cls}` }, label);
  return h(
    'a',
    { class: `image ${cls}`, href: src, target: '_blank', rel: 'noopener noreferrer', title: src },
    label,
  );
}

/** A static_select in a message: picking an option sends it at once, as Slack does. */
function menu(element: Json, ctx: RenderContext): HTMLElement {
  const actionId = str(element.action_id) ?? '';
  const select = h('select', { class: 'menu', 'data-action-id': actionId });
  select.append(h('option', { value: '' }, plain(element.placeholder) || 'Choose…'));
  for (const o of options(element)) select.append(h('option', { value: str(o.value) ?? '' }, optionLabel(o)));
  select.addEventListener('change', () => {
    if (select.value === '') return;
    ctx.onAction(select, { ...element, value: select.value });
  });
  return select;
}

function element(e: unknown, ctx: RenderContext): HTMLElement {
  if (!isObj(e)) return json(e);
  if (e.type === 'button') return button(e, ctx);
  if (e.type === 'static_select') return menu(e, ctx);
  if (e.type === 'image') return image(e, 'accessory-image');
  return chip(e);
}

function richText(block: Json, ctx: MrkdwnContext): HTMLElement {
  const inline = (items: unknown): Node[] =>
    list(items).map((item) => {
      if (!isObj(item)) return document.createTextNode('');
      const style = isObj(item.style) ? item.style : {};
      let node: HTMLElement;
      switch (item.type) {
        case 'link': {
          const url = safeUrl(str(item.url));
          const text = str(item.text) ?? str(item.url) ?? '';
          node =
            url === undefined
              ? h('span', {}, text)
              : h('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, text);
          break;
        }
        case 'user': {
          const id = str(item.user_id) ?? '';
          node = h('span', { class: 'mention' }, `@${ctx.userName(id) ?? id}`);
          break;
        }
        case 'channel':
          node = h('span', { class: 'mention' }, `#${str(item.channel_id) ?? ''}`);
          break;
        case 'broadcast':
          node = h('span', { class: 'mention special' }, `@${str(item.range) ?? ''}`);
          break;
        case 'emoji':
          node = h('span', {}, `:${str(item.name) ?? ''}:`);
          break;
        default:
          node = h('span', {}, str(item.text) ?? '');
      }
      if (style.code === true) node = h('code', {}, node);
      if (style.bold === true) node = h('b', {}, node);
      if (style.italic === true) node = h('i', {}, node);
      if (style.strike === true) node = h('s', {}, node);
      return node;
    });
  const part = (p: unknown): HTMLElement => {
    if (!isObj(p)) return json(p);
    switch (p.type) {
      case 'rich_text_section':
        return h('div', { class: 'rt-section' }, ...inline(p.elements));
      case 'rich_text_preformatted':
        return h('pre', { class: 'mrkdwn-pre' }, ...inline(p.elements));
      case 'rich_text_quote':
        return h('blockquote', {}, ...inline(p.elements));
      case 'rich_text_list':
        return h(
          p.style === 'ordered' ? 'ol' : 'ul',
          {},
          ...list(p.elements).map((item) => h('li', {}, part(item))),
        );
      default:
        return json(p);
    }
  };
  return h('div', { class: 'rich-text' }, ...list(block.elements).map(part));
}

const optionLabel = (o: Json): string => plain(o.text) || (str(o.value) ?? '');

function options(el: Json): Json[] {
  const groups = list(el.option_groups).flatMap((g) => (isObj(g) ? list(g.options) : []));
  return [...list(el.options), ...groups].filter(isObj);
}

/** An input block's element, marked with data-input-action / data-kind for readInputs(). */
function inputElement(el: Json, name: string, ctx: RenderContext): HTMLElement {
  const type = str(el.type) ?? '';
  const actionId = str(el.action_id) ?? '';
  const placeholder = plain(el.placeholder) || undefined;
  const mark = (node: HTMLElement, kind: string): HTMLElement => {
    node.dataset.inputAction = actionId;
    node.dataset.kind = kind;
    node.classList.add('input');
    return node;
  };
  const initial = isObj(el.initial_option) ? str(el.initial_option.value) : undefined;
  const initials = new Set(list(el.initial_options).flatMap((o) => (isObj(o) ? [str(o.value) ?? ''] : [])));
  switch (type) {
    case 'plain_text_input':
    case 'email_text_input':
    case 'url_text_input':
    case 'number_input':
    case 'datepicker':
    case 'timepicker': {
      const value = str(el.initial_value) ?? str(el.initial_date) ?? str(el.initial_time) ?? '';
      if (el.multiline === true) {
        const area = h('textarea', { rows: '4', placeholder });
        area.value = value;
        return mark(area, 'text');
      }
      const inputType: Record<string, string> = {
        email_text_input: 'email',
        url_text_input: 'url',
        number_input: 'number',
        datepicker: 'date',
        timepicker: 'time',
      };
      const field = h('input', { type: inputType[type] ?? 'text', placeholder });
      if (type === 'number_input' && el.is_decimal_allowed === true) field.step = 'any';
      field.value = value;
      return mark(field, 'text');
    }
    case 'static_select':
    case 'multi_static_select':
    case 'users_select':
    case 'multi_users_select': {
      const multi = type.startsWith('multi_');
      const choices = type.includes('users')
        ? ctx.users.map((u) => ({ value: u.id, label: u.name }))
        : options(el).map((o) => ({ value: str(o.value) ?? '', label: optionLabel(o) }));
      const select = h('select', multi ? { multiple: '' } : {});
      if (!multi) select.append(h('option', { value: '' }, placeholder ?? 'Choose…'));
      const chosen = str(el.initial_user) ?? initial;
      const chosenMany = new Set([...initials, ...list(el.initial_users).flatMap((u) => str(u) ?? [])]);
      for (const c of choices) {
        const opt = h('option', { value: c.value }, c.label);
        opt.selected = multi ? chosenMany.has(c.value) : c.value === chosen;
        select.append(opt);
      }
      return mark(select, multi ? 'multi' : 'select');
    }
    case 'radio_buttons':
    case 'checkboxes': {
      const multi = type === 'checkboxes';
      const box = h('div', { class: 'choices' });
      for (const o of options(el)) {
        const value = str(o.value) ?? '';
        const input = h('input', { type: multi ? 'checkbox' : 'radio', name, value });
        input.checked = multi ? initials.has(value) : value === initial;
        const description = isObj(o.description) ? textObject(o.description, ctx, 'hint') : undefined;
        box.append(h('label', { class: 'choice' }, input, ' ', textObject(o.text, ctx), description));
      }
      return mark(box, multi ? 'checked-many' : 'checked-one');
    }
    default:
      return json(el);
  }
}

let inputCounter = 0;

function inputBlock(block: Json, ctx: RenderContext): HTMLElement[] {
  const el = isObj(block.element) ? block.element : {};
  inputCounter += 1;
  const label = h('label', { class: 'input-label' }, plain(block.label));
  if (block.optional === true) label.append(h('span', { class: 'optional' }, ' (optional)'));
  return [
    label,
    inputElement(el, `input-${String(inputCounter)}`, ctx),
    isObj(block.hint) ? textObject(block.hint, ctx, 'hint') : undefined,
    h('div', { class: 'input-error', hidden: '' }),
  ].filter((n): n is HTMLElement => n !== undefined);
}

function blockBody(block: Json, ctx: RenderContext): Child[] {
  switch (block.type) {
    case 'header':
      return [rich('div', plainToHtml(plain(block.text)), 'block-header')];
    case 'section': {
      const out: Child[] = [];
      const main = h('div', { class: 'section-main' });
      if (block.text !== undefined) main.append(textObject(block.text, ctx, 'section-text'));
      const fields = list(block.fields);
      if (fields.length > 0)
        main.append(h('div', { class: 'fields' }, ...fields.map((f) => textObject(f, ctx, 'field'))));
      out.push(main);
      if (block.accessory !== undefined)
        out.push(h('div', { class: 'accessory' }, element(block.accessory, ctx)));
      return out;
    }
    case 'context':
      return list(block.elements).map((e) =>
        isObj(e) && e.type === 'image' ? image(e, 'context-image') : textObject(e, ctx, 'context-item'),
      );
    case 'divider':
      return [h('hr')];
    case 'actions':
      return list(block.elements).map((e) => element(e, ctx));
    case 'image':
      return [
        isObj(block.title) ? textObject(block.title, ctx, 'image-title') : undefined,
        image(block, 'block-image'),
      ];
    case 'input':
      return inputBlock(block, ctx);
    case 'rich_text':
      return [richText(block, ctx)];
    default:
      return [json(block)];
  }
}

const KNOWN = new Set(['header', 'section', 'context', 'divider', 'actions', 'image', 'input', 'rich_text']);

export function renderBlocks(blocks: unknown[], ctx: RenderContext): HTMLElement {
  const root = h('div', { class: 'blocks' });
  for (const block of blocks) {
    if (!isObj(block) || !KNOWN.has(str(block.type) ?? '')) {
      const unknown = h('div', {
        class: 'block',
        'data-block-type': isObj(block) ? str(block.type) : 'invalid',
      });
      unknown.append(json(block));
      root.append(unknown);
      continue;
    }
    const type = str(block.type) ?? '';
    root.append(
      h(
        'div',
        { class: `block block-${type}-wrap`, 'data-block-type': type, 'data-block-id': str(block.block_id) },
        ...blockBody(block, ctx),
      ),
    );
  }
  return root;
}

/** The values of the input blocks under `root`, as SubmitRequest wants them; empty inputs are left out. */
export function readInputs(root: HTMLElement): SubmitRequest['values'] {
  const values: SubmitRequest['values'] = {};
  for (const block of root.querySelectorAll<HTMLElement>('[data-block-type="input"][data-block-id]')) {
    const field = block.querySelector<HTMLElement>('[data-input-action]');
    const blockId = block.dataset.blockId;
    const actionId = field?.dataset.inputAction;
    if (!field || blockId === undefined || actionId === undefined) continue;
    let value: string | string[] | undefined;
    if (field instanceof HTMLSelectElement && field.multiple)
      value = [...field.selectedOptions].map((o) => o.value);
    else if (field instanceof HTMLSelectElement || field instanceof HTMLInputElement) value = field.value;
    else if (field instanceof HTMLTextAreaElement) value = field.value;
    else {
      const checked = [...field.querySelectorAll<HTMLInputElement>('input:checked')].map((i) => i.value);
      value = field.dataset.kind === 'checked-many' ? checked : checked[0];
    }
    if (value === undefined || value.length === 0) continue;
    values[blockId] = { ...values[blockId], [actionId]: value };
  }
  return values;
}

/** Shows `errors` (block_id -> message) under their inputs; clears the others. */
export function showInputErrors(root: HTMLElement, errors: Record<string, string>): void {
  for (const block of root.querySelectorAll<HTMLElement>('[data-block-type="input"]')) {
    const slot = block.querySelector<HTMLElement>('.input-error');
    if (!slot) continue;
    const message = block.dataset.blockId === undefined ? undefined : errors[block.dataset.blockId];
    slot.textContent = message ?? '';
    slot.hidden = message === undefined;
  }
}
