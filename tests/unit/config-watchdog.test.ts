import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, redactConfig } from '../../src/config.js';
import { validEnv } from './../helpers/env.js';

/** The JWKS-refresh hooks, the heartbeat and the separate metrics port, as configured. */
const SECRET = 'a'.repeat(32);

const problems = (env: Record<string, string>) => {
  try {
    loadConfig(validEnv(env));
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems.map((p) => `${p.variable}: ${p.message}`);
  }
};

describe('config: hooks, heartbeat, metrics port', () => {
  it('is off by default: no hooks, no heartbeat, /metrics on HTTP_PORT', () => {
    const c = loadConfig(validEnv());
    expect(c.jwksHooks).toEqual({ urls: [], secret: undefined });
    expect(c.heartbeat).toEqual({ url: undefined });
    expect(c.http.metrics).toBeUndefined();
  });

  it('reads the hook URLs, comma-separated and deduplicated, with their secret', () => {
    const c = loadConfig(
      validEnv({
        JWKS_REFRESH_WEBHOOKS:
          ' https://a.example.com/hook , https://b.example.com/h?t=1,https://a.example.com/hook',
        JWKS_REFRESH_SECRET: SECRET,
      }),
    );
    expect(c.jwksHooks).toEqual({
      urls: ['https://a.example.com/hook', 'https://b.example.com/h?t=1'],
      secret: SECRET,
    });
  });

  it('refuses hooks without a secret, a short secret, and URLs that are not http(s)', () => {
    expect(problems({ JWKS_REFRESH_WEBHOOKS: 'https://a.example.com/hook' })).toEqual([
      expect.stringMatching(/^JWKS_REFRESH_SECRET: is required when JWKS_REFRESH_WEBHOOKS is set/),
    ]);
    expect(
      problems({ JWKS_REFRESH_WEBHOOKS: 'https://a.example.com/', JWKS_REFRESH_SECRET: 'short' }),
    ).toEqual([expect.stringMatching(/^JWKS_REFRESH_SECRET: must be at least 32 characters/)]);
    expect(
      problems({ JWKS_REFRESH_WEBHOOKS: 'ftp://a.example.com/,not a url', JWKS_REFRESH_SECRET: SECRET }),
    ).toEqual([expect.stringMatching(/^JWKS_REFRESH_WEBHOOKS: 2 of them not http\(s\) URLs/)]);
  });

  it('puts /metrics on METRICS_PORT, on HTTP_HOST unless METRICS_HOST says otherwise', () => {
    expect(loadConfig(validEnv({ METRICS_PORT: '9464' })).http.metrics).toEqual({
      port: 9464,
      host: '0.0.0.0',
    });
    expect(loadConfig(validEnv({ METRICS_PORT: '9464', METRICS_HOST: '127.0.0.1' })).http.metrics).toEqual({
      port: 9464,
      host: '127.0.0.1',
    });
    expect(problems({ METRICS_PORT: '3000' })).toEqual([
      expect.stringMatching(/^METRICS_PORT: must differ from HTTP_PORT/),
    ]);
    expect(problems({ METRICS_HOST: '127.0.0.1' })).toEqual([
      expect.stringMatching(/^METRICS_HOST: takes effect only with METRICS_PORT/),
    ]);
    expect(problems({ METRICS_PORT: '70000' })).toEqual([
      expect.stringMatching(/^METRICS_PORT: must be a port/),
    ]);
  });

  it('redacts the hook secret, and the hook and heartbeat URLs down to their origin', () => {
    const c = loadConfig(
      validEnv({
        JWKS_REFRESH_WEBHOOKS: 'https://a.example.com/hook?token=abc123',
        JWKS_REFRESH_SECRET: SECRET,
        HEARTBEAT_URL: 'https://hc-ping.com/5f1e2d3c-0000-4000-8000-123456789abc',
      }),
    );
    const shown = JSON.stringify(redactConfig(c));
    expect(shown).not.toContain(SECRET);
    expect(shown).not.toContain('abc123');
    expect(shown).not.toContain('5f1e2d3c');
    expect(shown).toContain('https://hc-ping.com/');
  });
});
