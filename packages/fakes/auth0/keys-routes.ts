/** /api/v2/keys/signing: list, get, rotate, revoke (each write logged as `sapi`). */
import { auditWrite } from './audit.js';
import { apiError, json } from './http.js';
import type { Route } from './router.js';
import type { Tenant } from './tenant.js';

export function keyRoutes(tenant: Tenant): Route[] {
  return [
    {
      method: 'GET',
      pattern: '/api/v2/keys/signing',
      scope: 'read:signing_keys',
      handler: async () => json(await tenant.keys.list()),
    },
    {
      method: 'GET',
      pattern: '/api/v2/keys/signing/:kid',
      scope: 'read:signing_keys',
      handler: async ({ params }) => {
        const key = await tenant.keys.get(params.kid ?? '');
        return key === undefined
          ? apiError(404, 'Signing key not found', 'inexistent_signing_key')
          : json(key);
      },
    },
    {
      method: 'POST',
      pattern: '/api/v2/keys/signing/rotate',
      scope: 'create:signing_keys',
      handler: async (ctx) => {
        const rotated = await tenant.keys.rotate();
        if (!rotated.ok) return apiError(rotated.status, rotated.message, 'too_many_requests');
        return auditWrite(tenant, ctx, 'Rotate the Application Signing Key', json(rotated.value, 201));
      },
    },
    {
      method: 'PUT',
      pattern: '/api/v2/keys/signing/:kid/revoke',
      scope: 'update:signing_keys',
      handler: async (ctx) => {
        const revoked = await tenant.keys.revoke(ctx.params.kid ?? '');
        if (!revoked.ok) return apiError(revoked.status, revoked.message);
        return auditWrite(tenant, ctx, 'Revoke an Application Signing Key', json(revoked.value));
      },
    },
  ];
}
