import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeAuth0 } from '@auth0-oncall/fakes/auth0';
import { createLogValidator, getJson, managementClient, tokenRequest } from './helpers.js';

const validate = createLogValidator();
let fake: FakeAuth0;

beforeEach(async () => {
  fake = await FakeAuth0.start({ rateLimits: { management: { burst: 3, perMinute: 1 } } });
  fake.addClient({ clientId: 'watcher', name: 'oncall-watcher', secret: 'watcher-secret' });
  fake.addClient({ clientId: 'billing', name: 'billing-worker' });
});

afterEach(async () => {
  await fake.stop();
});

describe('FakeAuth0 log entries written by the fake itself', () => {
  it('rejects an entry that lacks what its type requires (the check is live)', () => {
    expect(validate({ type: 'fp', log_id: '1' })).not.toEqual([]);
    expect(validate({ type: 'not_a_code' })).toEqual(['unknown log type "not_a_code"']);
  });

  it('match the tenant-log schema of their type', async () => {
    await tokenRequest(fake, { client_id: 'watcher', client_secret: 'nope' });
    const admin = managementClient(fake, { clientId: 'watcher', clientSecret: 'watcher-secret' });
    await admin.clients.get('billing');
    await admin.clients.rotateSecret('billing');
    const token = fake.issueToken('watcher');
    for (let i = 0; i < 2; i += 1) await getJson(fake, '/api/v2/clients/billing', token);
    const domain = fake.customDomains.add({ domain: 'login.acme.test' });
    fake.customDomains.failVerification(domain.custom_domain_id);
    const entries = fake.logs.all().map((log) => log.value);
    const types = entries.map((entry) => (entry as { type: string }).type);
    expect(types).toEqual(
      expect.arrayContaining([
        'feccft',
        'seccft',
        'mgmt_api_read',
        'sapi',
        'api_limit_warning',
        'api_limit',
        'custom_domain_verification_failed',
      ]),
    );
    expect(entries.flatMap(validate)).toEqual([]);
  });
});
