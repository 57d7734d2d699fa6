import type { Decision } from './model.js';
import type { HealthEvent } from '../events/health-events.js';
import { open, recover } from './decision-builders.js';

const CREDENTIAL_REFUSED = /credential refused/i;

/** An open Auth0 breaker is itself an incident, resolved when the breaker closes. */
export const healthDecisions = (event: HealthEvent): Decision[] => {
  if (event.dependency !== 'auth0') return [];
  if (event.type === 'breaker_closed') {
    return [recover('auth0_unreachable', 'tenant', 'the Management API circuit breaker closed')];
  }
  if (event.type !== 'breaker_opened') return [];
  const credential = event.reason !== undefined && CREDENTIAL_REFUSED.test(event.reason);
  const summary =
    `The bot cannot reach the Auth0 Management API${credential ? ': its own credential may be wrong' : ''}` +
    `${event.reason ? ` (${event.reason})` : ''}. Log polling and the key, certificate and credential watchers cannot run until it recovers.`;
  return [
    open(
      'auth0_unreachable',
      'tenant',
      'high',
      'The bot cannot reach the Auth0 Management API',
      event.at.toISOString(),
      summary,
    ),
  ];
};
