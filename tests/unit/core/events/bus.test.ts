import { describe, expect, it, vi } from 'vitest';
import { createEventBus } from '../../../../src/core/events/bus.js';
import { createBackgroundTasks } from '../../../../src/core/background/tasks.js';
import type { HealthEvent } from '../../../../src/core/events/health-events.js';

const opened = (at = new Date('2025-01-01T00:00:00Z')): HealthEvent => ({
  type: 'breaker_opened',
  dependency: 'auth0',
  at,
  reason: 'server error (HTTP 503) in logs.list',
});

describe('the event bus', () => {
  it('delivers each event synchronously to every subscriber, in order of subscription', () => {
    const events = createEventBus();
    const seen: string[] = [];
    events.subscribe(['breaker_opened', 'breaker_closed'], (e) => seen.push(`a:${e.type}`));
    events.subscribe(['breaker_opened', 'breaker_closed'], (e) => seen.push(`b:${e.type}`));
    events.publish(opened());
    expect(seen).toEqual(['a:breaker_opened', 'b:breaker_opened']);
  });

  it('delivers an event only to the listeners of its type', () => {
    const events = createEventBus();
    const incidents = vi.fn();
    const breakers = vi.fn();
    events.subscribe('incident_opened', incidents);
    events.subscribe(['breaker_opened', 'breaker_closed'] as const, breakers);
    events.publish({ type: 'incident_opened', incidentId: 'inc_1' });
    events.publish(opened());
    expect(incidents).toHaveBeenCalledExactlyOnceWith({ type: 'incident_opened', incidentId: 'inc_1' });
    expect(breakers).toHaveBeenCalledExactlyOnceWith(opened());
  });

  it('hands an async listener to the task runner, so shutdown waits for it', async () => {
    const tasks = createBackgroundTasks();
    const events = createEventBus({ track: tasks.track });
    let finish!: () => void;
    events.subscribe('incident_changed', () => new Promise<void>((resolve) => (finish = resolve)));
    events.publish({ type: 'incident_changed' });
    expect(tasks.count).toBe(1);
    await expect(tasks.drain(20)).resolves.toBe(false);
    finish();
    await expect(tasks.drain(1_000)).resolves.toBe(true);
  });

  it('stops delivering after unsubscribe; unsubscribing twice is harmless', () => {
    const events = createEventBus();
    const listener = vi.fn();
    const unsubscribe = events.subscribe(['breaker_opened', 'breaker_closed'] as const, listener);
    events.publish(opened());
    unsubscribe();
    unsubscribe();
    events.publish(opened());
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('isolates a throwing listener: the others still hear, publish does not throw, and the error is reported', () => {
    const onListenerError = vi.fn();
    const events = createEventBus({ onListenerError });
    const after = vi.fn();
    const boom = new Error('listener bug');
    events.subscribe(['breaker_opened', 'breaker_closed'] as const, () => {
      throw boom;
    });
    events.subscribe(['breaker_opened', 'breaker_closed'] as const, after);
    const event = opened();
    expect(() => {
      events.publish(event);
    }).not.toThrow();
    expect(after).toHaveBeenCalledWith(event);
    expect(onListenerError).toHaveBeenCalledWith(boom, event);
  });

  it('reports an async listener that rejects instead of leaving an unhandled rejection', async () => {
    const onListenerError = vi.fn();
    const events = createEventBus({ onListenerError });
    const boom = new Error('async bug');
    events.subscribe(['breaker_opened', 'breaker_closed'] as const, async () => {
      await Promise.resolve();
      throw boom;
    });
    events.publish(opened());
    await vi.waitFor(() => {
      expect(onListenerError).toHaveBeenCalledWith(boom, expect.objectContaining({ type: 'breaker_opened' }));
    });
  });

  it('survives a throwing error reporter', () => {
    const events = createEventBus({
      onListenerError: () => {
        throw new Error('reporter bug');
      },
    });
    events.subscribe(['breaker_opened', 'breaker_closed'] as const, () => {
      throw new Error('listener bug');
    });
    expect(() => {
      events.publish(opened());
    }).not.toThrow();
  });

  it('delivers the current event only to those subscribed when it was published', () => {
    const events = createEventBus();
    const late = vi.fn();
    let unsubscribeSecond: () => void = () => undefined;
    const second = vi.fn();
    events.subscribe(['breaker_opened', 'breaker_closed'] as const, () => {
      events.subscribe(['breaker_opened', 'breaker_closed'] as const, late);
      unsubscribeSecond();
    });
    unsubscribeSecond = events.subscribe(['breaker_opened', 'breaker_closed'] as const, second);
    events.publish(opened());
    expect(late).not.toHaveBeenCalled();
    expect(second).toHaveBeenCalledTimes(1);
    events.publish(opened());
    expect(late).toHaveBeenCalledTimes(1);
    expect(second).toHaveBeenCalledTimes(1);
  });
});
