import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createResilienceMetrics } from '../../../src/metrics/resilience-metrics.js';

describe('createResilienceMetrics', () => {
  it('exposes the breaker gauge (0 closed, 1 half-open, 2 open), calls by outcome and retries', async () => {
    const registry = new Registry();
    const metrics = createResilienceMetrics(registry);
    metrics.setBreakerState('auth0', 'open');
    metrics.setBreakerState('slack', 'half_open');
    metrics.setBreakerState('llm', 'closed');
    metrics.countCall('auth0', 'success');
    metrics.countCall('auth0', 'success');
    metrics.countCall('auth0', 'circuit_open');
    metrics.countRetry('secrets_manager');

    const text = await registry.metrics();
    expect(text).toContain('auth0oncall_breaker_state{dependency="auth0"} 2');
    expect(text).toContain('auth0oncall_breaker_state{dependency="slack"} 1');
    expect(text).toContain('auth0oncall_breaker_state{dependency="llm"} 0');
    expect(text).toContain('auth0oncall_dependency_calls_total{dependency="auth0",outcome="success"} 2');
    expect(text).toContain('auth0oncall_dependency_calls_total{dependency="auth0",outcome="circuit_open"} 1');
    expect(text).toContain('auth0oncall_retries_total{dependency="secrets_manager"} 1');
  });

  it('keeps registries apart, so several apps can live in one test process', () => {
    expect(() => {
      createResilienceMetrics(new Registry());
      createResilienceMetrics(new Registry());
    }).not.toThrow();
  });
});
