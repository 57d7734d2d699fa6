import { ManagementError, type ManagementClient } from 'auth0';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeAuth0 } from '@auth0-oncall/fakes/auth0';
import { managementClient } from './helpers.js';

let fake: FakeAuth0;
let admin: ManagementClient;

beforeEach(async () => {
  fake = await FakeAuth0.start({ logRateLimits: false });
  fake.addClient({ clientId: 'admin', name: 'oncall-admin', secret: 'admin-secret' });
  admin = managementClient(fake, { token: fake.issueToken('admin') });
});

afterEach(async () => {
  await fake.stop();
});

describe('FakeAuth0 custom domains', () => {
  it('lists managed-certificate domains with certificate status and renewal date', async () => {
    const domain = fake.customDomains.add({ domain: 'login.acme.test' });
    const [listed] = await admin.customDomains.list();
    expect(listed).toMatchObject({
      custom_domain_id: domain.custom_domain_id,
      domain: 'login.acme.test',
      primary: true,
      status: 'ready',
      type: 'auth0_managed_certs',
      certificate: { status: 'provisioned', renews_before: expect.any(String) },
    });
  });

  it('reports a failed renewal set through the hook', async () => {
    const domain = fake.customDomains.add({ domain: 'login.acme.test' });
    fake.customDomains.setCertificate(domain.custom_domain_id, {
      status: 'renewing_failed',
      error_msg: 'CAA record forbids letsencrypt',
    });
    const found = await admin.customDomains.get(domain.custom_domain_id);
    expect(found.certificate).toMatchObject({
      status: 'renewing_failed',
      error_msg: 'CAA record forbids letsencrypt',
    });
  });

  it('logs custom_domain_verification_failed when verification fails', () => {
    const domain = fake.customDomains.add({ domain: 'login.acme.test' });
    fake.customDomains.failVerification(domain.custom_domain_id);
    expect(fake.logs.all().at(-1)?.value).toMatchObject({
      type: 'custom_domain_verification_failed',
      details: { custom_domain_id: domain.custom_domain_id, domain: 'login.acme.test', status: 'failed' },
    });
  });
});

describe('FakeAuth0 attack-protection IP blocks', () => {
  it('shows an IP blocked by a limit_mu scenario and unblocks it with a logged write', async () => {
    fake.traffic.attackProtection({ ip: '203.0.113.7', code: 'limit_mu', count: 1 });
    await expect(admin.anomaly.blocks.checkIp('203.0.113.7')).resolves.toBeUndefined();
    await admin.anomaly.blocks.unblockIp('203.0.113.7');
    expect(fake.ipBlocks.isBlocked('203.0.113.7')).toBe(false);
    expect(fake.logs.all().at(-1)?.value).toMatchObject({
      type: 'sapi',
      details: { request: { method: 'delete', path: '/api/v2/anomaly/blocks/ips/203.0.113.7' } },
    });
    const error = await admin.anomaly.blocks.checkIp('203.0.113.7').then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ManagementError);
    expect((error as ManagementError).statusCode).toBe(404);
  });
});
