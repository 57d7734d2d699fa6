import { cloudEvent, organizationConnectionObject, userObject } from '@auth0-oncall/fakes/auth0';
import { afterEach, describe, expect, it } from 'vitest';
import { createEventStreamDetector } from '../../../../src/core/event-streams/detection.js';
import { createTenantEventIngester } from '../../../../src/core/event-streams/ingest.js';
import { openDatabase, SqliteTenantEventStore, type StoreDatabase } from '../../../../src/store/index.js';

let db: StoreDatabase | undefined;
afterEach(() => {
  db?.close();
});

const NOW = new Date('2026-03-01T12:00:00.000Z');
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);

const setup = () => {
  db = openDatabase({ path: ':memory:' });
  const store = new SqliteTenantEventStore(db);
  let now = NOW;
  const ingester = createTenantEventIngester({ store, uow: db, now: () => now, onIngested: () => undefined });
  const detector = createEventStreamDetector({ store, now: () => now });
  return {
    push: (...events: unknown[]) => ingester.ingestValues(events),
    evaluate: (open: Array<{ signal: string; scope: string }> = []) => detector.evaluate(open),
    recentActivity: () => detector.recentActivity(),
    setNow: (d: Date) => {
      now = d;
    },
  };
};

const deletion = (i: number, at: Date, user = `auth0|d${i}`) =>
  cloudEvent('user.deleted', userObject(user), { id: `evt_del_${i}`, time: at });
const block = (i: number, at: Date) =>
  cloudEvent('user.updated', userObject(`auth0|b${i}`, { blocked: true }), { id: `evt_blk_${i}`, time: at });
const signup = (i: number, connection: string, at: Date) =>
  cloudEvent('user.created', userObject(`auth0|s${i}`, { connection }), {
    id: `evt_sig_${connection}_${i}`,
    time: at,
  });

describe('Event Streams detection', () => {
  it('opens a mass-deletion incident at 20 distinct users in 10 minutes, with the count in words', () => {
    const { push, evaluate } = setup();
    push(...Array.from({ length: 19 }, (_, i) => deletion(i, minutesAgo(i % 9))));
    expect(evaluate()).toEqual([]);
    push(deletion(19, minutesAgo(1)));
    const [decision] = evaluate();
    expect(decision).toMatchObject({
      kind: 'open',
      signal: 'mass_user_deletion',
      scope: 'tenant',
      severity: 'medium',
      title: '20 users deleted in the last 10 minutes',
    });
    expect(decision?.kind !== 'recover' && decision?.evidence.summary).toContain(
      '20 users deleted in the last 10 minutes',
    );
  });

  it('sums up recent activity in one line for the thread of another incident, and says nothing when quiet', () => {
    const { push, recentActivity } = setup();
    expect(recentActivity()).toBeUndefined();
    push(...Array.from({ length: 37 }, (_, i) => block(i, minutesAgo(i % 10))));
    push(deletion(1, minutesAgo(2)), deletion(2, minutesAgo(40)));
    expect(recentActivity()).toBe(
      'Auth0 Event Streams: 37 users blocked, 1 user deleted in the last 10 minutes.',
    );
  });

  it('counts users, not events: a redelivered or repeated event for one user counts once', () => {
    const { push, evaluate } = setup();
    push(...Array.from({ length: 30 }, (_, i) => deletion(i, minutesAgo(1), 'auth0|same-user')));
    expect(evaluate()).toEqual([]);
  });

  it('places events by their own time: a replay of old deletions opens nothing', () => {
    const { push, evaluate } = setup();
    push(...Array.from({ length: 50 }, (_, i) => deletion(i, minutesAgo(30))));
    expect(evaluate()).toEqual([]);
  });

  it('says "37 users blocked in the last 10 minutes" and updates the open card as more arrive', () => {
    const { push, evaluate } = setup();
    push(...Array.from({ length: 37 }, (_, i) => block(i, minutesAgo(i % 10))));
    expect(evaluate()[0]).toMatchObject({
      kind: 'open',
      signal: 'mass_user_blocking',
      title: '37 users blocked in the last 10 minutes',
    });
    push(...Array.from({ length: 70 }, (_, i) => block(100 + i, minutesAgo(0))));
    expect(evaluate([{ signal: 'mass_user_blocking', scope: 'tenant' }])[0]).toMatchObject({
      kind: 'update',
      severity: 'high',
      title: '107 users blocked in the last 10 minutes',
    });
  });

  it('ignores user.updated events that do not block', () => {
    const { push, evaluate } = setup();
    push(
      ...Array.from({ length: 40 }, (_, i) =>
        cloudEvent('user.updated', userObject(`auth0|x${i}`, { blocked: false }), {
          id: `evt_upd_${i}`,
          time: minutesAgo(1),
        }),
      ),
    );
    expect(evaluate()).toEqual([]);
  });

  it('recovers a mass incident once the last 15 minutes are quiet, and not before', () => {
    const { push, evaluate, setNow } = setup();
    push(...Array.from({ length: 25 }, (_, i) => deletion(i, minutesAgo(1))));
    const open = [{ signal: 'mass_user_deletion', scope: 'tenant' }];
    setNow(new Date(NOW.getTime() + 12 * 60_000));
    expect(evaluate(open)).toEqual([]);
    setNow(new Date(NOW.getTime() + 15 * 60_000));
    expect(evaluate(open)).toEqual([
      expect.objectContaining({ kind: 'recover', signal: 'mass_user_deletion', scope: 'tenant' }),
    ]);
  });

  it('opens a sign-up burst per connection, naming the connection', () => {
    const { push, evaluate } = setup();
    push(...Array.from({ length: 60 }, (_, i) => signup(i, 'signup-db', minutesAgo(i % 10))));
    push(...Array.from({ length: 10 }, (_, i) => signup(i, 'google-oauth2', minutesAgo(1))));
    const decisions = evaluate();
    expect(decisions).toHaveLength(1);
    expect(decisions[0]).toMatchObject({
      kind: 'open',
      signal: 'signup_burst',
      scope: 'connection:signup-db',
      severity: 'medium',
      title: '60 sign-ups through signup-db in the last 10 minutes',
    });
  });

  it('opens one incident per organization whose connections changed, medium when one was removed', () => {
    const { push, evaluate, setNow } = setup();
    const conn = { id: 'con_abc', name: 'acme-saml' };
    push(
      cloudEvent('organization.connection.added', organizationConnectionObject('org_one', conn), {
        time: minutesAgo(5),
      }),
      cloudEvent('organization.connection.removed', organizationConnectionObject('org_two', conn), {
        time: minutesAgo(3),
      }),
    );
    const decisions = evaluate();
    expect(decisions.map((d) => [d.scope, d.kind !== 'recover' && d.severity])).toEqual([
      ['organization:org_one', 'low'],
      ['organization:org_two', 'medium'],
    ]);
    expect(decisions[1]?.kind !== 'recover' && decisions[1]?.evidence.summary).toMatch(/removed acme-saml/);
    setNow(new Date(NOW.getTime() + 61 * 60_000));
    expect(evaluate([{ signal: 'organization_connections', scope: 'organization:org_two' }])).toEqual([
      expect.objectContaining({ kind: 'recover', scope: 'organization:org_two' }),
    ]);
  });
});
