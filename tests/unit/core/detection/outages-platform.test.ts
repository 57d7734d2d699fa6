import { describe, expect, it } from 'vitest';
import type { Decision } from '../../../../src/core/detection/model.js';
import { brief, createWorld, only } from './world.js';

/** Actions, Flows and hooks failing; CORS refusing an app's origin; directory sync and KMS failures. */

const actionFailure = (name: string, errorClass: string, message: string) => () => ({
  client_id: 'WebApp0000000000000001',
  client_name: 'acme-web',
  ip: '198.51.100.9',
  description: 'Execution of an Action failed',
  details: {
    trigger_id: 'post-login',
    execution_id: 'exec_1',
    action_id: 'act_1',
    action_name: name,
    version_id: 'ver_1',
    binding_id: 'bind_1',
    error_class: errorClass,
    action_error: { name: 'Error', code: 'E', message, stack: 'at exports.onExecutePostLogin' },
  },
});
const flowFailure = {
  description: 'Flow execution failed',
  details: {
    execution_id: 'af_exec_1',
    flow_id: 'af_sync_crm',
    state: 'failed',
    error: {
      code: 'http_request_failed',
      message: 'HTTP request to https://crm.acme.example failed with 503',
    },
  },
};
const fco = (origin: string) => () => ({
  client_id: 'Spa00000000000000000001',
  client_name: 'acme-spa',
  ip: '198.51.100.20',
  hostname: 'acme.eu.auth0.com',
  description: 'Origin is not in the Allowed Origins list for the specified application',
  details: {
    origin,
    allowedOrigins: ['https://app.acme.example'],
    headers: {},
    host: 'acme.eu.auth0.com',
    method: 'POST',
    xhr: true,
  },
});

const opened = (decisions: readonly Decision[]) => brief(decisions).filter((d) => d.kind !== 'recover');

describe('Actions, Flows and hooks failing', () => {
  it('names the failing Action in the title and lists it with its error class beside ordinary traffic', () => {
    const world = createWorld();
    world.normal(120);
    for (const m of [3, 2, 1]) {
      world.add(
        'actions_execution_failed',
        m,
        10,
        actionFailure('add-roles-claim', 'action_timeout', 'Script timed out'),
      );
    }
    const decisions = world.detector().evaluate([]);
    expect(opened(decisions)).toEqual([
      {
        kind: 'open',
        signal: 'actions_failures',
        scope: 'tenant',
        severity: 'medium',
        title: 'Action add-roles-claim failing: 30 executions in 5 min (usually none)',
      },
    ]);
    expect(only(decisions, 'actions_failures').evidence.topReasons).toEqual([
      { value: 'Action add-roles-claim — action_timeout: Script timed out', count: 30 },
    ]);
  });

  it('names an Action, a Flow and a hook failing together', () => {
    const world = createWorld();
    world.add('actions_execution_failed', 1, 12, actionFailure('add-roles-claim', 'action_error', 'boom'));
    world.add('flows_execution_failed', 1, 6, flowFailure);
    world.add('fpurh', 1, 3, { description: 'Post User Registration hook failed: timeout' });
    const decisions = world.detector().evaluate([]);
    expect(only(decisions, 'actions_failures').title).toBe(
      'Action add-roles-claim, Flow af_sync_crm and 1 more failing: 21 executions in 5 min',
    );
    expect(only(decisions, 'actions_failures').evidence.topReasons?.map((r) => r.value)).toEqual([
      'Action add-roles-claim — action_error: boom',
      'Flow af_sync_crm — HTTP request to https://crm.acme.example failed with 503',
      'Post User Registration hook — Post User Registration hook failed: timeout',
    ]);
  });
});

describe('CORS failures', () => {
  it.each([
    { failures: 9, expected: [] },
    { failures: 10, expected: ['medium'] },
    { failures: 50, expected: ['high'] },
  ])('$failures refused requests from one origin: $expected', ({ failures, expected }) => {
    const world = createWorld();
    world.normal(60);
    world.add('fco', 1, failures, fco('https://beta.acme.example'));
    const decisions = opened(world.detector().evaluate([]));
    expect(decisions.map((d) => d.severity)).toEqual(expected);
    if (expected.length > 0) {
      expect(decisions[0]).toMatchObject({
        signal: 'cors_failures',
        scope: 'client:Spa00000000000000000001',
        title: `CORS refused ${failures} requests to acme-spa (Spa00000000000000000001) from https://beta.acme.example in 5 min`,
      });
    }
  });

  it('counts each application on its own', () => {
    const world = createWorld();
    world.add('fco', 1, 6, fco('https://beta.acme.example'));
    world.add('fco', 1, 6, { ...fco('https://beta.acme.example')(), client_id: 'Other0000000000000000001' });
    expect(opened(world.detector().evaluate([]))).toEqual([]);
  });
});

describe('platform failures', () => {
  it('opens a medium card on one failed directory sync, naming the connection', () => {
    const world = createWorld();
    world.normal(60);
    world.add('directory_sync_failed', 1, 1, {
      connection: 'corp-google',
      description: 'Directory synchronization has failed',
      details: {
        synchronization_id: 'sync_1',
        sync_status: 'failed',
        scheduled: true,
        created_at: '2026-03-10T11:58:00.000Z',
        started_at: '2026-03-10T11:58:01.000Z',
        error: { message: 'Google Workspace: invalid_grant' },
      },
    });
    expect(opened(world.detector().evaluate([]))).toEqual([
      {
        kind: 'open',
        signal: 'platform_failures',
        scope: 'tenant',
        severity: 'medium',
        title: 'Directory sync of corp-google failed: 1 failure in 5 min',
      },
    ]);
  });

  it('is high on one KMS key failure', () => {
    const world = createWorld();
    world.add('kms_key_management_failure', 1, 1, { description: 'Failed to wrap the tenant root key' });
    expect(only(world.detector().evaluate([]), 'platform_failures')).toMatchObject({
      severity: 'high',
      title: 'KMS key operation failed: 1 failure in 5 min',
    });
  });
});
