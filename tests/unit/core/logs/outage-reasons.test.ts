import { describe, expect, it } from 'vitest';
import { classifyLog, parseLogEntry } from '../../../../src/core/logs/classification.js';

/** The reason each outage code keeps: what failed and how, read from the fields Auth0 logs for it. */

const reasonOf = (fields: Record<string, unknown>): string | null => {
  const parsed = parseLogEntry({ log_id: '1', date: '2026-03-01T12:00:00.000Z', ...fields });
  if (!parsed.ok) throw new Error(parsed.problem);
  return classifyLog(parsed.entry, { botClientId: 'bot' }).reason;
};

describe('outage reasons', () => {
  it.each([
    [
      'an Action with its class and message',
      {
        type: 'actions_execution_failed',
        details: { action_name: 'add-roles', error_class: 'action_error', action_error: { message: 'boom' } },
      },
      'Action add-roles — action_error: boom',
    ],
    [
      'an Action without a name: its class only',
      { type: 'actions_execution_failed', details: { error_class: 'action_timeout' } },
      'action_timeout',
    ],
    [
      'a Flow with its error',
      {
        type: 'flows_execution_failed',
        details: { flow_id: 'af_1', error: { code: 'x', message: 'HTTP 503' } },
      },
      'Flow af_1 — HTTP 503',
    ],
    ['a hook by name', { type: 'fcph', description: 'timeout' }, 'Post Change Password hook — timeout'],
    [
      'an email by channel and provider error',
      {
        type: 'fn',
        details: { notification_type: 'email', email_type: 'verify_email', to: 'a@b.c', error: 'bad key' },
      },
      'email — bad key',
    ],
    [
      'an SMS notification by its type',
      { type: 'fn', details: { notification_type: 'sms', to: '+1', error: 'no route' } },
      'sms — no route',
    ],
    [
      'an MFA SMS by the provider error',
      {
        type: 'gd_send_sms_failure',
        details: { provider_error: { errorCode: '1', message: 'Twilio: Authenticate' } },
      },
      'MFA SMS — Twilio: Authenticate',
    ],
    [
      'a verification email',
      { type: 'fv', description: 'Failed to send' },
      'verification email — Failed to send',
    ],
    ['a CORS origin', { type: 'fco', details: { origin: 'https://x.example' } }, 'origin https://x.example'],
    [
      'CORS without an origin: the description',
      { type: 'fco', description: 'Origin not allowed' },
      'Origin not allowed',
    ],
    [
      'a deprecated feature',
      { type: 'depnote', details: { feature: { id: 'lock', name: 'Lock v10' } } },
      'Lock v10',
    ],
    ['connector provisioning', { type: 'fcpro', details: { details: 'bad ticket' } }, 'bad ticket'],
    [
      'a directory sync with its connection',
      {
        type: 'directory_sync_failed',
        connection: 'corp-google',
        details: { error: { message: 'invalid_grant' } },
      },
      'Directory sync of corp-google — invalid_grant',
    ],
    [
      'a KMS operation',
      { type: 'kms_key_management_failure', description: 'key disabled' },
      'KMS key operation — key disabled',
    ],
  ])('names %s', (_label, fields, expected) => {
    expect(reasonOf(fields)).toBe(expected);
  });

  it('scopes a deprecation notice by its feature, so the daily digest counts features from the counts', () => {
    const parsed = parseLogEntry({
      log_id: '2',
      date: '2026-03-01T12:00:00.000Z',
      type: 'depnote',
      details: { feature: { id: 'lock', name: 'Lock v10' } },
    });
    if (!parsed.ok) throw new Error(parsed.problem);
    expect(classifyLog(parsed.entry, { botClientId: 'bot' }).scope).toBe('feature:Lock v10');
  });

  it('bounds a reason to 200 characters', () => {
    const reason = reasonOf({ type: 'fn', details: { notification_type: 'email', error: 'x'.repeat(1000) } });
    expect(reason?.length).toBe(200);
  });

  it('ignores details of the wrong shape', () => {
    expect(reasonOf({ type: 'fn', description: 'Unable to send', details: 'oops' })).toBe(
      'email — Unable to send',
    );
    expect(reasonOf({ type: 'depnote', details: { feature: 7 }, description: 'deprecated' })).toBe(
      'deprecated',
    );
  });
});
