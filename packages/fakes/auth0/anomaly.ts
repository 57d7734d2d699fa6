/** Attack-protection IP blocks: `GET`/`DELETE /api/v2/anomaly/blocks/ips/{ip}`. */
import { auditWrite } from './audit.js';
import { apiError } from './http.js';
import type { Route } from './router.js';
import type { Tenant } from './tenant.js';

export class IpBlocks {
  private readonly blocked = new Set<string>();

  block(ip: string): void {
    this.blocked.add(ip);
  }

  unblock(ip: string): boolean {
    return this.blocked.delete(ip);
  }

  isBlocked(ip: string): boolean {
    return this.blocked.has(ip);
  }

  list(): string[] {
    return [...this.blocked];
  }
}

export function anomalyRoutes(tenant: Tenant): Route[] {
  const notBlocked = () => apiError(404, 'IP address is not blocked', 'ip_not_blocked');
  return [
    {
      method: 'GET',
      pattern: '/api/v2/anomaly/blocks/ips/:ip',
      scope: 'read:anomaly_blocks',
      handler: ({ params }) => (tenant.ipBlocks.isBlocked(params.ip ?? '') ? { status: 200 } : notBlocked()),
    },
    {
      method: 'DELETE',
      pattern: '/api/v2/anomaly/blocks/ips/:ip',
      scope: 'delete:anomaly_blocks',
      handler: (ctx) => {
        // Unblocking an IP that is not blocked still succeeds, so a retried unblock is harmless.
        tenant.ipBlocks.unblock(ctx.params.ip ?? '');
        return auditWrite(tenant, ctx, 'Remove the blocked IP address', { status: 204 });
      },
    },
  ];
}
