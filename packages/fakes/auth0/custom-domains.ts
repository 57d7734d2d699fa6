/** Custom domains with managed certificates, and hooks to make a renewal fail. */
import { randomBytes } from 'node:crypto';
import type { Now } from './clock.js';
import { apiError, json } from './http.js';
import type { LogStore } from './log-store.js';
import type { Route } from './router.js';

export type CertificateStatus = 'provisioning' | 'provisioned' | 'provisioning_failed' | 'renewing_failed';

export interface DomainCertificate {
  status: CertificateStatus;
  renews_before?: string;
  error_msg?: string;
  certificate_authority?: 'letsencrypt' | 'googletrust';
}

export interface CustomDomain {
  custom_domain_id: string;
  domain: string;
  primary: boolean;
  status: 'pending_verification' | 'ready' | 'failed';
  type: 'auth0_managed_certs' | 'self_managed_certs';
  origin_domain_name?: string;
  certificate?: DomainCertificate;
}

export type CustomDomainInput = Partial<Omit<CustomDomain, 'domain'>> & { domain: string };

const RENEWAL_MS = 90 * 86_400_000;

export class CustomDomains {
  private readonly domains: CustomDomain[] = [];

  constructor(
    private readonly now: Now,
    private readonly tenantDomain: string,
    private readonly logs: LogStore,
  ) {}

  /** Defaults: ready, Auth0-managed, certificate provisioned and renewing within 90 days. */
  add(input: CustomDomainInput): CustomDomain {
    const domain: CustomDomain = {
      custom_domain_id: `cd_${randomBytes(8).toString('hex')}`,
      primary: this.domains.length === 0,
      status: 'ready',
      type: 'auth0_managed_certs',
      origin_domain_name: `${this.tenantDomain.split('.')[0] ?? 'tenant'}-cd-${randomBytes(4).toString('hex')}.edge.tenants.auth0.com`,
      certificate: {
        status: 'provisioned',
        certificate_authority: 'letsencrypt',
        renews_before: new Date(this.now() + RENEWAL_MS).toISOString(),
      },
      ...input,
    };
    this.domains.push(domain);
    return domain;
  }

  list(): CustomDomain[] {
    return this.domains;
  }

  get(id: string): CustomDomain | undefined {
    return this.domains.find((domain) => domain.custom_domain_id === id);
  }

  /** Sets certificate fields, e.g. `{status: 'renewing_failed', error_msg: '…'}`. */
  setCertificate(id: string, certificate: Partial<DomainCertificate>): CustomDomain {
    const domain = this.require(id);
    domain.certificate = { status: 'provisioned', ...domain.certificate, ...certificate };
    return domain;
  }

  /** Marks the domain failed and logs `custom_domain_verification_failed` (no ip, no client). */
  failVerification(
    id: string,
    errorMsg = 'CNAME record does not point to the expected origin',
  ): CustomDomain {
    const domain = this.require(id);
    domain.status = 'failed';
    this.logs.append([
      {
        type: 'custom_domain_verification_failed',
        details: {
          custom_domain_id: id,
          domain: domain.domain,
          status: 'failed',
          type: domain.type,
          errorMsg,
        },
      },
    ]);
    return domain;
  }

  routes(): Route[] {
    return [
      {
        method: 'GET',
        pattern: '/api/v2/custom-domains',
        scope: 'read:custom_domains',
        handler: () => json(this.domains),
      },
      {
        method: 'GET',
        pattern: '/api/v2/custom-domains/:id',
        scope: 'read:custom_domains',
        handler: ({ params }) => {
          const domain = this.get(params.id ?? '');
          return domain === undefined
            ? apiError(404, 'The custom domain does not exist', 'inexistent_custom_domain')
            : json(domain);
        },
      },
    ];
  }

  private require(id: string): CustomDomain {
    const domain = this.get(id);
    if (domain === undefined) throw new Error(`fake Auth0: no custom domain ${id}`);
    return domain;
  }
}
