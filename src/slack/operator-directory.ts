import type { webApi } from '@slack/bolt';
import type { OperatorDirectory } from '../core/incidents/ports.js';
import type { Logger } from '../logger.js';

export interface OperatorDirectoryOptions {
  readonly operators: readonly string[];
  readonly group: string | undefined;
  readonly client: webApi.WebClient;
  readonly logger: Logger;
  /** usergroups.users.list is Tier 2: membership is cached, and refreshed on change events. */
  readonly ttlMs?: number;
  readonly now?: () => number;
}

/** SLACK_OPERATORS, plus members of SLACK_OPERATOR_GROUP (cached; a lookup failure denies). */
export const createOperatorDirectory = (
  o: OperatorDirectoryOptions,
): OperatorDirectory & { invalidate(): void } => {
  const listed = new Set(o.operators);
  const now = o.now ?? Date.now;
  let cache: { members: Set<string>; at: number } | undefined;

  const members = async (group: string): Promise<Set<string>> => {
    if (cache && now() - cache.at < (o.ttlMs ?? 300_000)) return cache.members;
    try {
      const res = await o.client.usergroups.users.list({ usergroup: group });
      cache = { members: new Set(res.users ?? []), at: now() };
    } catch (error) {
      // Fail closed: without a fresh list only SLACK_OPERATORS may act; keep a stale one if any.
      o.logger.warn(
        { event: 'operators.group_lookup_failed', err: error },
        'could not read SLACK_OPERATOR_GROUP members',
      );
      if (!cache) return new Set();
    }
    return cache.members;
  };

  return {
    async isOperator(userId) {
      if (listed.has(userId)) return true;
      return o.group ? (await members(o.group)).has(userId) : false;
    },
    invalidate() {
      cache = undefined;
    },
  };
};
