import { describe, expect, it } from 'vitest';
import {
  auth0LogsUrl,
  dashboardTenantOf,
  logSearchQuery,
} from '../../../../src/core/tenant/dashboard-link.js';

describe('the Auth0 Dashboard log search link', () => {
  it('reads the region and tenant from a canonical tenant domain', () => {
    expect(dashboardTenantOf('acme.us.auth0.com')).toEqual({ region: 'us', tenant: 'acme' });
    expect(dashboardTenantOf('acme-prod.eu.auth0.com')).toEqual({ region: 'eu', tenant: 'acme-prod' });
    expect(dashboardTenantOf('ACME.AU.auth0.com')).toEqual({ region: 'au', tenant: 'acme' });
    // The oldest tenants have no region in their domain: they are in the US.
    expect(dashboardTenantOf('acme.auth0.com')).toEqual({ region: 'us', tenant: 'acme' });
  });

  it('names no tenant for a custom domain or anything that is not an Auth0 tenant domain', () => {
    for (const domain of [
      'login.acme.com',
      'acme.eu.auth0.com.evil.test',
      'auth0.com',
      'a.b.eu.auth0.com',
      'acme.europe.auth0.com',
      '',
    ])
      expect(dashboardTenantOf(domain)).toBeUndefined();
  });

  it('builds the Lucene query from the incident’s types, client, connection and IP, values quoted', () => {
    expect(logSearchQuery({ types: ['feccft'], clientId: 'bIlLiNg01' })).toBe(
      'type:"feccft" AND client_id:"bIlLiNg01"',
    );
    expect(logSearchQuery({ types: ['f', 'fp', 'fu'], connection: 'Username-Password-Authentication' })).toBe(
      '(type:"f" OR type:"fp" OR type:"fu") AND connection:"Username-Password-Authentication"',
    );
    expect(logSearchQuery({ types: [], ip: '203.0.113.7' })).toBe('ip:"203.0.113.7"');
    expect(logSearchQuery({ types: [] })).toBe('');
  });

  it('escapes quotes and backslashes so a value from the logs cannot end its phrase', () => {
    expect(logSearchQuery({ types: [], connection: 'evil" OR type:"s\\' })).toBe(
      'connection:"evil\\" OR type:\\"s\\\\"',
    );
  });

  it('links to the tenant’s logs page in its region with the query URL-encoded', () => {
    const url = auth0LogsUrl({ region: 'eu', tenant: 'acme' }, { types: ['feccft'], clientId: 'abc' });
    expect(url).toBe(
      'https://manage.auth0.com/dashboard/eu/acme/logs?q=type%3A%22feccft%22%20AND%20client_id%3A%22abc%22',
    );
    expect(new URL(url).searchParams.get('q')).toBe('type:"feccft" AND client_id:"abc"');
  });

  it('falls back to the plain logs page without a query, or when the query would make the link too long', () => {
    const base = 'https://manage.auth0.com/dashboard/us/acme/logs';
    expect(auth0LogsUrl({ region: 'us', tenant: 'acme' }, undefined)).toBe(base);
    expect(auth0LogsUrl({ region: 'us', tenant: 'acme' }, { types: [] })).toBe(base);
    expect(auth0LogsUrl({ region: 'us', tenant: 'acme' }, { types: [], connection: 'c'.repeat(3000) })).toBe(
      base,
    );
  });
});
