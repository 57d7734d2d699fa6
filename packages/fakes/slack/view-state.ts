/** Builds `view.state.values` for a view_submission the way Slack fills it from the inputs. */
import { asArray, isRecord } from './method-context.js';
import type { Json } from './types.js';

/** A plain string (or list) is turned into the element's own value shape; an object is sent as is. */
export type StateValueInput = string | string[] | Json;

export type StateValuesInput = Record<string, Record<string, StateValueInput>>;

// Which key each element type reports its value under; unfilled inputs report it as null.
const SINGLE_KEY: Record<string, string> = {
  plain_text_input: 'value',
  number_input: 'value',
  email_text_input: 'value',
  url_text_input: 'value',
  static_select: 'selected_option',
  external_select: 'selected_option',
  radio_buttons: 'selected_option',
  users_select: 'selected_user',
  conversations_select: 'selected_conversation',
  channels_select: 'selected_channel',
  datepicker: 'selected_date',
  timepicker: 'selected_time',
};
const MULTI_KEY: Record<string, string> = {
  multi_static_select: 'selected_options',
  multi_external_select: 'selected_options',
  checkboxes: 'selected_options',
  multi_users_select: 'selected_users',
  multi_conversations_select: 'selected_conversations',
  multi_channels_select: 'selected_channels',
};

interface InputElement {
  blockId: string;
  actionId: string;
  element: Json;
}

function inputElements(blocks: unknown): InputElement[] {
  if (!Array.isArray(blocks)) return [];
  return blocks.flatMap((block: unknown) => {
    if (!isRecord(block) || block.type !== 'input' || !isRecord(block.element)) return [];
    const { element } = block;
    if (typeof block.block_id !== 'string' || typeof element.action_id !== 'string') return [];
    return [{ blockId: block.block_id, actionId: element.action_id, element }];
  });
}

function allOptions(element: Json): Json[] {
  const grouped = asArray(element.option_groups).flatMap((g) => (isRecord(g) ? asArray(g.options) : []));
  return [...asArray(element.options), ...grouped].filter(isRecord);
}

function option(element: Json, value: string): Json {
  return (
    allOptions(element).find((o) => o.value === value) ?? { text: { type: 'plain_text', text: value }, value }
  );
}

function fill(element: Json, input: StateValueInput): Json {
  const type = typeof element.type === 'string' ? element.type : 'plain_text_input';
  if (isRecord(input)) return { type, ...input };
  const single = SINGLE_KEY[type];
  const multi = MULTI_KEY[type];
  const values = Array.isArray(input) ? input : [input];
  if (multi !== undefined) {
    return { type, [multi]: multi === 'selected_options' ? values.map((v) => option(element, v)) : values };
  }
  const first = values[0] ?? '';
  if (single === 'selected_option') return { type, selected_option: option(element, first) };
  return { type, [single ?? 'value']: first };
}

function empty(element: Json): Json {
  const type = typeof element.type === 'string' ? element.type : 'plain_text_input';
  const multi = MULTI_KEY[type];
  return { type, [SINGLE_KEY[type] ?? multi ?? 'value']: multi === undefined ? null : [] };
}

/** Every input of the view appears in the state; naming a block/action the view lacks is a test bug. */
export function buildStateValues(
  blocks: unknown,
  values: StateValuesInput,
): Record<string, Record<string, Json>> {
  const inputs = inputElements(blocks);
  for (const [blockId, actions] of Object.entries(values)) {
    for (const actionId of Object.keys(actions)) {
      if (!inputs.some((i) => i.blockId === blockId && i.actionId === actionId)) {
        throw new Error(`fake Slack: the view has no input ${blockId}/${actionId} to fill`);
      }
    }
  }
  const state: Record<string, Record<string, Json>> = {};
  for (const { blockId, actionId, element } of inputs) {
    const given = values[blockId]?.[actionId];
    state[blockId] = {
      ...state[blockId],
      [actionId]: given === undefined ? empty(element) : fill(element, given),
    };
  }
  return state;
}
