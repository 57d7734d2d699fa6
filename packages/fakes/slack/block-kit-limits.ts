/**
 * Block Kit limits as Slack documents them. Neither Bolt nor the block builders
 * enforce these, and Slack answers a violation with a bare `invalid_blocks`, so this checker names
 * the exact path instead. Pure: app tests can run it on their own renderings.
 */

export type BlockKitSurface = 'message' | 'modal' | 'home';

export const BLOCK_KIT_LIMITS = {
  blocksPerMessage: 50,
  blocksPerView: 100,
  id: 255,
  sectionText: 3000,
  fields: 10,
  fieldText: 2000,
  headerText: 150,
  actionsElements: 25,
  contextElements: 10,
  buttonText: 75,
  buttonValue: 2000,
  buttonUrl: 3000,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  modalTitle: 24,
  privateMetadata: 3000,
  // Slack says "250kb"; the smaller decimal reading keeps us on the safe side of either.
  viewBytes: 250_000,
} as const;

type Out = string[];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function textOf(value: unknown): unknown {
  return isRecord(value) ? value.text : undefined;
}

function maxLength(out: Out, path: string, value: unknown, limit: number): void {
  if (typeof value === 'string' && value.length > limit) out.push(`${path}: ${value.length} > ${limit}`);
}

function maxCount(out: Out, path: string, value: unknown, limit: number): void {
  if (Array.isArray(value) && value.length > limit) out.push(`${path}: ${value.length} > ${limit}`);
}

function checkConfirm(out: Out, path: string, confirm: unknown): void {
  if (!isRecord(confirm)) return;
  const L = BLOCK_KIT_LIMITS;
  maxLength(out, `${path}.title.text`, textOf(confirm.title), L.confirmTitle);
  maxLength(out, `${path}.text.text`, textOf(confirm.text), L.confirmText);
  maxLength(out, `${path}.confirm.text`, textOf(confirm.confirm), L.confirmButton);
  maxLength(out, `${path}.deny.text`, textOf(confirm.deny), L.confirmButton);
}

function checkElement(out: Out, path: string, element: unknown): void {
  if (!isRecord(element)) return;
  const L = BLOCK_KIT_LIMITS;
  maxLength(out, `${path}.action_id`, element.action_id, L.id);
  if (element.type === 'button') {
    maxLength(out, `${path}.text.text`, textOf(element.text), L.buttonText);
    maxLength(out, `${path}.value`, element.value, L.buttonValue);
    maxLength(out, `${path}.url`, element.url, L.buttonUrl);
  }
  checkConfirm(out, `${path}.confirm`, element.confirm);
}

function checkElements(out: Out, path: string, elements: unknown, limit: number): void {
  if (!Array.isArray(elements)) {
    out.push(`${path}: missing`);
    return;
  }
  maxCount(out, path, elements, limit);
  elements.forEach((element, i) => {
    checkElement(out, `${path}[${i}]`, element);
  });
}

function checkSection(out: Out, path: string, block: Record<string, unknown>): void {
  const L = BLOCK_KIT_LIMITS;
  if (block.text === undefined && block.fields === undefined) out.push(`${path}: needs text or fields`);
  maxLength(out, `${path}.text.text`, textOf(block.text), L.sectionText);
  if (Array.isArray(block.fields)) {
    maxCount(out, `${path}.fields`, block.fields, L.fields);
    block.fields.forEach((field, i) => {
      maxLength(out, `${path}.fields[${i}].text`, textOf(field), L.fieldText);
    });
  }
  checkElement(out, `${path}.accessory`, block.accessory);
}

function checkBlock(out: Out, path: string, block: unknown): void {
  if (!isRecord(block) || typeof block.type !== 'string') {
    out.push(`${path}.type: missing`);
    return;
  }
  const L = BLOCK_KIT_LIMITS;
  maxLength(out, `${path}.block_id`, block.block_id, L.id);
  switch (block.type) {
    case 'section':
      checkSection(out, path, block);
      break;
    case 'header':
      maxLength(out, `${path}.text.text`, textOf(block.text), L.headerText);
      break;
    case 'actions':
      checkElements(out, `${path}.elements`, block.elements, L.actionsElements);
      break;
    case 'context':
      checkElements(out, `${path}.elements`, block.elements, L.contextElements);
      break;
    case 'input':
      checkElement(out, `${path}.element`, block.element);
      break;
    default:
      break;
  }
}

/** Every limit the given blocks break, as `path: actual > limit` (empty when they are fine). */
export function checkBlockKitLimits(
  blocks: unknown,
  options: { surface: BlockKitSurface; path?: string },
): string[] {
  const path = options.path ?? 'blocks';
  if (!Array.isArray(blocks)) return [`${path}: not an array`];
  const out: Out = [];
  const limit =
    options.surface === 'message' ? BLOCK_KIT_LIMITS.blocksPerMessage : BLOCK_KIT_LIMITS.blocksPerView;
  maxCount(out, path, blocks, limit);
  blocks.forEach((block, i) => {
    checkBlock(out, `${path}[${i}]`, block);
  });
  return out;
}

// JSON.stringify(undefined) is undefined at run time, whatever its declared return type says.
function serialize(value: unknown): string | undefined {
  return JSON.stringify(value);
}

/** The serialized size Slack measures a view by. */
export function viewByteLength(view: unknown): number {
  return Buffer.byteLength(serialize(view) ?? '', 'utf8');
}

/** Limits of a whole modal or Home view: its own fields, its blocks and its serialized size. */
export function checkViewLimits(view: unknown, path = 'view'): string[] {
  if (!isRecord(view)) return [`${path}: not an object`];
  const L = BLOCK_KIT_LIMITS;
  const out: Out = [];
  if (view.type !== 'modal' && view.type !== 'home') out.push(`${path}.type: must be modal or home`);
  maxLength(out, `${path}.callback_id`, view.callback_id, L.id);
  maxLength(out, `${path}.external_id`, view.external_id, L.id);
  maxLength(out, `${path}.private_metadata`, view.private_metadata, L.privateMetadata);
  if (view.type === 'modal') {
    if (typeof textOf(view.title) !== 'string') out.push(`${path}.title: missing`);
    for (const key of ['title', 'submit', 'close'] as const) {
      maxLength(out, `${path}.${key}.text`, textOf(view[key]), L.modalTitle);
    }
  }
  const surface: BlockKitSurface = view.type === 'home' ? 'home' : 'modal';
  out.push(...checkBlockKitLimits(view.blocks, { surface, path: `${path}.blocks` }));
  const bytes = viewByteLength(view);
  if (bytes > L.viewBytes) out.push(`${path}: ${bytes} bytes > ${L.viewBytes}`);
  return out;
}
