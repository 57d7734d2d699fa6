import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createClientNames, findTarget } from '../../../src/core/rotation/client-names.js';
import { rotationStatusProvider } from '../../../src/core/rotation/status.js';
import type { RotationTarget } from '../../../src/core/rotation/target.js';
import { plural } from '../../../src/core/status/model.js';
import { statusReply } from '../../../src/slack/blocks/status-blocks.js';

const NOW = new Date('2026-03-02T09:00:00.000Z');
const NEXT = new Date('2026-03-09T03:00:00.000Z');
const BILLING: RotationTarget = { clientId: 'Zx81billing', strategy: 'client_secret', secretId: 's1' };
const REPORTS: RotationTarget = { clientId: 'Kq02reports', strategy: 'private_key_jwt', secretId: 's2' };

/** What a reader sees: Slack date tokens replaced by their (UTC) fallbacks are the only times left. */
const withoutDateTokens = (text: string) => text.replace(/<!date\^\d+\^[^|>]*\|[^>]*>/g, '<date>');
const ISO = /\d{4}-\d\d-\d\dT\d\d:\d\d/;
/** A word in running text (not a call like `ratioOf(s)`) with `(s)` or `(es)` after it. */
const HEDGED = /(?<=[\s'"`}])(?:[a-z]+|[A-Z]+)\((?:s|es)\)/;

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });

describe('times people read are Slack date tokens', () => {
  it('shows the next rotation in /auth0 status as a date token, never as an ISO string', async () => {
    const section = await rotationStatusProvider({
      targets: [BILLING],
      rotations: { latestFor: () => null },
      control: { isPaused: () => false },
      nextRun: () => NEXT,
      now: () => NOW,
    }).read();
    const reply = JSON.stringify(statusReply([section], NOW).blocks);
    expect(reply).toContain(
      `(<!date^${NEXT.getTime() / 1000}^{date_short_pretty} at {time}|2026-03-09 03:00 UTC>)`,
    );
    expect(withoutDateTokens(reply)).not.toMatch(ISO);
  });
});

describe('client names', () => {
  const names = (
    list: Array<{ clientId: string; name: string }> | Error,
    fromLogs: Record<string, string> = {},
  ) =>
    createClientNames({
      list: () => (list instanceof Error ? Promise.reject(list) : Promise.resolve(list)),
      logs: {
        recent: (q) =>
          q.clientId !== undefined && fromLogs[q.clientId] !== undefined
            ? [
                {
                  logId: 'l1',
                  date: NOW.toISOString(),
                  type: 'seccft',
                  signal: 'm2m_token_success',
                  scope: `client:${q.clientId}`,
                  own: false,
                  clientId: q.clientId,
                  clientName: fromLogs[q.clientId] ?? null,
                  ip: null,
                  connection: null,
                  userName: null,
                  userAgent: null,
                  description: null,
                  reason: null,
                  source: 'poll',
                },
              ]
            : [],
      },
      now: () => NOW,
    });

  it('finds a target by ID, by name in any case, and answers a shared name with every match', async () => {
    const n = names([
      { clientId: 'Zx81billing', name: 'acme-billing-worker' },
      { clientId: 'Kq02reports', name: 'Acme-Billing-Worker' },
    ]);
    await n.refresh();
    expect(findTarget([BILLING, REPORTS], 'Kq02reports', n)).toEqual({ kind: 'found', target: REPORTS });
    expect(findTarget([BILLING], ' ACME-billing-worker ', n)).toEqual({ kind: 'found', target: BILLING });
    expect(findTarget([BILLING, REPORTS], 'acme-billing-worker', n)).toEqual({
      kind: 'ambiguous',
      targets: [BILLING, REPORTS],
    });
    expect(findTarget([BILLING, REPORTS], 'nope', n)).toEqual({ kind: 'unknown' });
  });

  it('falls back to the name in the newest log event when the tenant list does not have it', async () => {
    const n = names(new Error('503'), { Zx81billing: 'billing-from-logs' });
    await n.refresh();
    expect(n.nameOf('Zx81billing')).toBe('billing-from-logs');
    expect(n.nameOf('Kq02reports')).toBeUndefined();
  });
});

describe('plurals', () => {
  it('says "1 token" and "2 tokens"', () => {
    expect(plural(1, 'token')).toBe('1 token');
    expect(plural(2, 'token')).toBe('2 tokens');
    expect(plural(0, 'entry', 'entries')).toBe('0 entries');
  });

  it('no message in src/ hedges a plural with "(s)" or "(es)"', () => {
    const root = join(import.meta.dirname, '../../../src');
    const hedged = sourceFiles(root).flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .map((line, i) => ({ where: `${relative(root, file)}:${i + 1}`, line }))
        .filter(({ line }) => HEDGED.test(line.replaceAll('http(s)', '')) && !/^\s*(\/\/|\/?\*)/.test(line)),
    );
    expect(hedged).toEqual([]);
  });
});
