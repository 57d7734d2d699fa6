import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { grantedScopes } from '../../../../src/auth0/auth0-doctor-probe.js';
import {
  clockFinding,
  enabledFeatures,
  logStreamFinding,
  scopeFindings,
  secretShape,
} from '../../../../src/core/doctor/checks.js';
import { createDoctor } from '../../../../src/core/doctor/doctor.js';
import { formatReport } from '../../../../src/core/doctor/format.js';
import { isBroken } from '../../../../src/core/doctor/model.js';
import { allScopes } from '../../../../src/core/doctor/scopes.js';

const at = new Date('2026-03-01T12:00:00Z');
const secretTarget = {
  clientId: 'Zx81billing',
  strategy: 'client_secret' as const,
  secretId: 'prod/billing',
};
const jwtTarget = { clientId: 'Kq02reports', strategy: 'private_key_jwt' as const, secretId: 'prod/reports' };

describe('doctor rules', () => {
  it('asks for rotation scopes only when a target of that strategy is configured', () => {
    const watchOnly = scopeFindings(
      [
        'read:logs',
        'read:signing_keys',
        'read:custom_domains',
        'read:clients',
        'read:client_credentials',
        'update:signing_keys',
        'read:anomaly_blocks',
        'delete:anomaly_blocks',
      ],
      enabledFeatures([]),
    );
    expect(watchOnly).toEqual([expect.objectContaining({ level: 'ok' })]);
    const withJwt = scopeFindings(['read:logs'], enabledFeatures([jwtTarget]));
    expect(withJwt.map((f) => f.what).join('\n')).toContain('private_key_jwt credential rotation');
    expect(withJwt.map((f) => f.what).join('\n')).not.toContain('client-secret rotation');
  });

  it('finds nothing missing when every scope of the table is granted', () => {
    expect(scopeFindings(allScopes(), enabledFeatures([secretTarget, jwtTarget]))).toEqual([
      expect.objectContaining({ level: 'ok' }),
    ]);
  });

  it('makes watching scopes an error and a runbook action’s scopes a warning', () => {
    const findings = scopeFindings([], enabledFeatures([]));
    expect(findings.find((f) => f.what.includes('log polling'))?.level).toBe('error');
    expect(findings.find((f) => f.what.includes('unblock_ip'))?.level).toBe('warn');
  });

  it('tolerates a few seconds of clock skew, warns past 10 s and breaks past a minute', () => {
    const skewed = (ms: number) => clockFinding(new Date(at.getTime() - ms), at).level;
    expect(skewed(3_000)).toBe('ok');
    expect(skewed(-15_000)).toBe('warn');
    expect(skewed(90_000)).toBe('error');
    expect(clockFinding(undefined, at).level).toBe('info');
  });

  it('tells the supported Secrets Manager forms from the rest without repeating the value', () => {
    expect(secretShape('s3cr3t-value', 'Zx81billing').shape).toBe('bare');
    expect(secretShape('{"client_secret":"x"}', 'Zx81billing').shape).toBe('json');
    expect(secretShape('{"client_id":"other","client_secret":"x"}', 'Zx81billing')).toEqual({
      shape: 'unsupported',
      problem: 'its "client_id" is not Zx81billing',
    });
    expect(secretShape('{not json', 'Zx81billing').problem).not.toContain('not json');
    expect(secretShape('two words', 'Zx81billing').shape).toBe('unsupported');
    expect(secretShape('   ', 'Zx81billing').shape).toBe('empty');
  });

  it('waits 15 minutes before calling a silent Log Stream a problem', () => {
    const started = new Date(at.getTime() - 5 * 60_000);
    expect(logStreamFinding(undefined, started, at).level).toBe('info');
    expect(logStreamFinding(undefined, new Date(at.getTime() - 20 * 60_000), at).level).toBe('warn');
    expect(logStreamFinding(new Date(at.getTime() - 30 * 60_000), started, at).what).toBe(
      'No push for 30 min',
    );
  });

  it('reads the scope claim of a JWT access token, and the reply’s scope for an opaque one', async () => {
    const jwt = await new SignJWT({ scope: 'read:logs update:client_keys' })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode('k'.repeat(32)));
    expect(grantedScopes({ access_token: jwt, scope: 'ignored' })).toEqual([
      'read:logs',
      'update:client_keys',
    ]);
    expect(grantedScopes({ access_token: 'opaque', scope: 'read:logs' })).toEqual(['read:logs']);
  });
});

describe('createDoctor', () => {
  it('reports a check that throws as a finding and still runs the others', async () => {
    const doctor = createDoctor({
      auth0: {
        grant: () => Promise.reject(new Error('HTTP 401 access_denied: Unauthorized')),
        clientExists: () => Promise.resolve(true),
      },
      rotationTargets: [secretTarget],
      secrets: { current: () => Promise.reject(new Error('AccessDeniedException')) },
      models: [],
      slack: {
        grantedScopes: () => Promise.resolve(['chat:write']),
        membership: () => Promise.resolve('member'),
      },
      alertChannel: 'C0ALERTS',
      slackScopes: ['chat:write'],
      startedAt: at,
      now: () => at,
    });
    const report = await doctor();
    expect(isBroken(report)).toBe(true);
    const text = formatReport(report);
    expect(text).toMatch(/^BROKEN Auth0 token: Auth0 refused the bot's token request: HTTP 401/m);
    expect(text).toMatch(/^BROKEN Rotation target Zx81billing: Could not check: AccessDeniedException/m);
    expect(text).toMatch(/^OK {5}Alert channel/m);
  });
});
