import { describe, expect, it, vi } from 'vitest';
import { createHealthEvents, type HealthEvent } from '../../../../src/core/events/health-events.js';

const opened = (at = new Date('2025-01-01T00:00:00Z')): HealthEvent => ({
  type: 'breaker_opened',
  dependency: 'auth0',
  at,
  reason: 'server error (HTTP 503) in logs.list',
});

describe('createHealthEvents', () => {
  it('delivers each event synchronously to every subscriber, in order of subscription', () => {
    const events = createHealthEvents();
    const seen: string[] = [];
    events.subscribe((e) => seen.push(`a:${e.type}`));
    events.subscribe((e) => seen.push(`b:${e.type}`));
    events.publish(opened());
    expect(seen).toEqual(['a:breaker_opened', 'b:breaker_opened']);
  });

  it('remembers the latest event per dependency', () => {
    const events = createHealthEvents();
    expect(events.latest('auth0')).toBeUndefined();
    events.publish(opened());
    const closed: HealthEvent = {
      type: 'breaker_closed',
      dependency: 'auth0',
      at: new Date('2025-01-01T00:01:00Z'),
    };
    events.publish(closed);
    events.publish({ type: 'breaker_opened', dependency: 'slack', at: new Date('2025-01-01T00:02:00Z') });
    expect(events.latest('auth0')).toBe(closed);
    expect(events.latest('slack')?.type).toBe('breaker_opened');
    expect(events.latest('llm')).toBeUndefined();
  });

  it('stops delivering after unsubscribe; unsubscribing twice is harmless', () => {
    const events = createHealthEvents();
    const listener = vi.fn();
    const unsubscribe = events.subscribe(listener);
    events.publish(opened());
    unsubscribe();
    unsubscribe();
    events.publish(opened());
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('isolates a throwing listener: the others still hear, publish does not throw, and the error is reported', () => {
    const onListenerError = vi.fn();
    const events = createHealthEvents({ onListenerError });
    const after = vi.fn();
    const boom = new Error('listener bug');
    events.subscribe(() => {
      throw boom;
    });
    events.subscribe(after);
    const event = opened();
    expect(() => {
      events.publish(event);
    }).not.toThrow();
    expect(after).toHaveBeenCalledWith(event);
    expect(onListenerError).toHaveBeenCalledWith(boom, event);
  });

  it('reports an async listener that rejects instead of leaving an unhandled rejection', async () => {
    const onListenerError = vi.fn();
    const events = createHealthEvents({ onListenerError });
    const boom = new Error('async bug');
    // eslint-disable-next-line @typescript-eslint/no-misused-promises -- the very misuse being guarded against
    events.subscribe(async () => {
      await Promise.resolve();
      throw boom;
    });
    events.publish(opened());
    await vi.waitFor(() => {
      expect(onListenerError).toHaveBeenCalledWith(boom, expect.objectContaining({ type: 'breaker_opened' }));
    });
  });

  it('survives a throwing error reporter', () => {
    const events = createHealthEvents({
      onListenerError: () => {
        throw new Error('reporter bug');
      },
    });
    events.subscribe(() => {
      throw new Error('listener bug');
    });
    expect(() => {
      events.publish(opened());
    }).not.toThrow();
  });

  it('delivers the current event only to those subscribed when it was published', () => {
    const events = createHealthEvents();
    const late = vi.fn();
    let unsubscribeSecond: () => void = () => undefined;
    const second = vi.fn();
    events.subscribe(() => {
      events.subscribe(late);
      unsubscribeSecond();
    });
    unsubscribeSecond = events.subscribe(second);
    events.publish(opened());
    expect(late).not.toHaveBeenCalled();
    expect(second).toHaveBeenCalledTimes(1);
    events.publish(opened());
    expect(late).toHaveBeenCalledTimes(1);
    expect(second).toHaveBeenCalledTimes(1);
  });
});
