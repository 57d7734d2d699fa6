import type { LogStore } from '../logs/ports.js';

/** Who would notice a rotation: an IP that exchanged the client's credential, and when it last did. */
export interface ClientUser {
  readonly ip: string;
  readonly lastSeen: string;
  readonly count: number;
}

const DAY_MS = 86_400_000;
const USER_SCAN_LIMIT = 1_000;

/** Distinct IPs that exchanged this client's credential successfully in the last day, most recent first. */
export const clientUsers = (logs: Pick<LogStore, 'recent'>, clientId: string, now: Date): ClientUser[] => {
  const events = logs.recent({
    signal: 'm2m_token_success',
    clientId,
    since: new Date(now.getTime() - DAY_MS).toISOString(),
    limit: USER_SCAN_LIMIT,
  });
  const byIp = new Map<string, { ip: string; lastSeen: string; count: number }>();
  for (const e of events) {
    const ip = e.ip ?? 'unknown IP';
    const seen = byIp.get(ip);
    if (!seen) byIp.set(ip, { ip, lastSeen: e.date, count: 1 });
    else {
      seen.count += 1;
      if (e.date > seen.lastSeen) seen.lastSeen = e.date;
    }
  }
  return [...byIp.values()].sort((a, b) => b.lastSeen.localeCompare(a.lastSeen));
};
