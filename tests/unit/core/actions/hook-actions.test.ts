import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ActionContext } from '../../../../src/core/actions/action.js';
import { resendJwksHooks } from '../../../../src/core/actions/hook-actions.js';
import { createHookDelivery } from '../../../../src/core/jwks-hooks/delivery.js';
import { createJwksHookNotifier } from '../../../../src/core/jwks-hooks/notifier.js';
import { createJwksHookResender } from '../../../../src/core/jwks-hooks/resend.js';
import type { SigningKey } from '../../../../src/core/tenant/ports.js';
import { createFetchHookSender } from '../../../../src/http/hook-sender.js';
import { openDatabase, SqliteJwksHookStore, type StoreDatabase } from '../../../../src/store/index.js';
import { startHookReceiver, type HookReceiver } from '../../../helpers/hook-receiver.js';
import { openIncident } from '../../../helpers/incident-fixture.js';

const SECRET = 'resend-action-secret-0123456789abcdef0123';
const key = (kid: string, over: Partial<SigningKey> = {}): SigningKey => ({
  kid,
  current: false,
  next: false,
  previous: false,
  revoked: false,
  currentSince: undefined,
  revokedAt: undefined,
  fingerprint: undefined,
  ...over,
});

let db: StoreDatabase;
let receiver: HookReceiver;
beforeEach(async () => {
  db = openDatabase({ path: ':memory:' });
  receiver = await startHookReceiver(SECRET);
});
afterEach(async () => {
  await receiver.stop();
  db.close();
});

/** The action over the real notifier, store, delivery and an HTTP receiver on 127.0.0.1. */
const action = () => {
  const store = new SqliteJwksHookStore(db);
  const reported: string[] = [];
  const delivery = createHookDelivery({
    store,
    sender: createFetchHookSender(),
    secret: SECRET,
    now: () => new Date(),
    report: (n) => {
      reported.push(n.id);
      return Promise.resolve(true);
    },
  });
  const notifier = createJwksHookNotifier({
    store,
    urls: [receiver.url('/one'), receiver.url('/two')],
    tenant: 'acme.eu.auth0.com',
    jwksUri: 'https://acme.eu.auth0.com/.well-known/jwks.json',
    keys: {
      listSigningKeys: () =>
        Promise.resolve([key('kid-new', { current: true }), key('kid-old', { previous: true })]),
    },
    logs: { recent: () => [] },
    now: () => new Date(),
    nudge: () => undefined,
  });
  const resender = createJwksHookResender({ notifier, store, deliver: () => delivery.deliver() });
  return { def: resendJwksHooks(resender), reported };
};

const ctx = (signal = 'signing_key', runKey = 'step:inc-1:s1'): ActionContext => ({
  incident: openIncident({ signal }),
  evidence: { window: { from: 'a', to: 'b', minutes: 5 }, failures: 0, rate: 0 } as ActionContext['evidence'],
  actor: 'U0OPERATOR',
  now: new Date(),
  signal: new AbortController().signal,
  key: runKey,
  plan: { recorded: undefined, record: () => undefined },
});

describe('resend_jwks_refresh_hooks', () => {
  it('is offered only for signing-key and token-failure incidents', () => {
    const { def } = action();
    expect(def.check({}, ctx('signing_key'))).toBeUndefined();
    expect(def.check({}, ctx('web_token_failures'))).toBeUndefined();
    expect(def.check({}, ctx('failed_logins'))).toMatch(/only for signing-key/);
    expect(def.destructive).toBe(false);
  });

  it('sends the current and previous kid to every receiver, signed, and reports the outcome as its result', async () => {
    const { def, reported } = action();
    receiver.answer(204, 401);
    const result = await def.run({}, ctx());
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received.every((r) => r.signatureValid)).toBe(true);
    expect(JSON.parse(receiver.received[0]?.body ?? '{}')).toMatchObject({
      id: 'resend:step:inc-1:s1',
      event: 'jwks_refresh_requested',
      kid: 'kid-new',
      previous_kid: 'kid-old',
      source: 'runbook',
    });
    expect(result.outcome).toBe('success');
    expect(result.summary).toMatch(
      /^JWKS refresh hooks re-sent for key kid-new: acknowledged by .*\(204\); not acknowledged by .*\(HTTP 401, 1 attempt\)$/,
    );
    // The step's result is the report: the delivery job does not post it again.
    expect(reported).toEqual([]);
  });

  it('fails when no receiver acknowledged', async () => {
    const { def } = action();
    receiver.answer(403, 403);
    const result = await def.run({}, ctx());
    expect(result.outcome).toBe('failure');
  });

  it('after a restart, reports the re-send the run queued instead of sending it again', async () => {
    const { def } = action();
    await def.run({}, ctx());
    const recovered = await action().def.recover({}, ctx());
    expect(receiver.received).toHaveLength(2);
    expect(recovered.summary).toMatch(/acknowledged by .* \(checked after a restart\)$/);
  });
});
