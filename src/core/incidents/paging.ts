/**
 * Who gets paged: a person, a user group, or (when no group is configured) each operator. Slack
 * IDs only: a user is `U…`/`W…`, a user group `S…` (docs/on-call.md, "Owner and paging").
 */
export type PageTarget =
  | { readonly kind: 'user'; readonly id: string }
  | { readonly kind: 'group'; readonly id: string }
  | { readonly kind: 'operators'; readonly ids: readonly string[] };

const USER_ID = /^[UW][A-Z0-9]{2,20}$/;
const GROUP_ID = /^S[A-Z0-9]{2,20}$/;

export const isUserId = (value: string): boolean => USER_ID.test(value);

/** The on-call group when configured, else the operators by name; undefined when there is neither. */
export const onCallTarget = (
  group: string | undefined,
  operators: readonly string[],
): PageTarget | undefined => {
  if (group !== undefined && GROUP_ID.test(group)) return { kind: 'group', id: group };
  const ids = operators.filter(isUserId).slice(0, 20);
  return ids.length > 0 ? { kind: 'operators', ids } : undefined;
};

/**
 * A group as typed in the escalation modal: its ID (`S0ONCALL`) or a pasted mention
 * (`<!subteam^S0ONCALL|@oncall>`). Handles (`@oncall`) cannot be resolved without the group list.
 */
export const parseGroup = (typed: string): string | undefined => {
  const text = typed.trim();
  const pasted = /^<!subteam\^(S[A-Z0-9]{2,20})(?:\|[^>]{0,100})?>$/.exec(text);
  const id = pasted?.[1] ?? text.toUpperCase();
  return GROUP_ID.test(id) ? id : undefined;
};
