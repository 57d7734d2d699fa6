import type { JsonSchema } from '../../../../src/core/runbooks/json-schema.js';
import type { ActionName } from '../../../../src/core/runbooks/model.js';

/**
 * Parameters for each real catalog action: values its schema must accept (at the edges of every
 * bound) and values it must refuse (just past them). A Record, so a new action does not compile
 * until it has samples.
 */
export interface ParamSamples {
  readonly valid: readonly Record<string, unknown>[];
  readonly invalid: readonly unknown[];
}

const clientId: ParamSamples = {
  valid: [{ clientId: 'AbCdEf12' }, { clientId: 'abc_DEF-123456789' }, { clientId: 'a'.repeat(128) }],
  invalid: [
    { clientId: 'AbCdEf1' },
    { clientId: 'a'.repeat(129) },
    { clientId: 'has space12' },
    { clientId: 'client/../12' },
    { clientId: 'ünïcode12345' },
    { clientId: 'AbCdEf12\n' },
  ],
};

const none: ParamSamples = { valid: [{}], invalid: [{ clientId: 'AbCdEf12' }] };

export const PARAM_SAMPLES: Readonly<Record<ActionName, ParamSamples>> = {
  verify_client_credentials: clientId,
  rollback_client_secret: clientId,
  rotate_client_credential: clientId,
  pause_rotation: clientId,
  resume_rotation: clientId,
  list_signing_keys: none,
  recheck_signal: none,
  resend_jwks_refresh_hooks: none,
  revoke_previous_signing_key: {
    valid: [{ kid: 'k' }, { kid: 'k'.repeat(128) }, { kid: 'kid with spaces, / and ü' }],
    invalid: [{ kid: '' }, { kid: 'k'.repeat(129) }, { kid: 123 }],
  },
  unblock_ip: {
    valid: [
      { ip: '203.0.113.7' },
      { ip: '0.0.0.0' },
      { ip: '255.255.255.255' },
      { ip: '2001:db8::1' },
      { ip: '2001:0db8:0000:0000:0000:ff00:0042:8329' },
      { ip: '::1' },
      { ip: '::' },
      { ip: 'fe80::1:2:3:4' },
    ],
    invalid: [
      { ip: 'not-an-ip' },
      { ip: '256.1.1.1' },
      { ip: '1.2.3' },
      { ip: '01.2.3.4' },
      { ip: '1.2.3.4 ' },
      { ip: '2001:db8::g' },
      { ip: '1:2:3:4:5:6:7:8:9' },
      { ip: ':::' },
      { ip: '' },
    ],
  },
};

const WRONG_VALUES: readonly unknown[] = [42, 1.5, true, null, [], {}, '', ' ', 'x'.repeat(10_000)];

/**
 * Candidates derived from a valid sample: wrong root types, each property missing, an extra
 * property, and each property replaced by a value of the wrong type or size.
 */
export const mutationsOf = (sample: Record<string, unknown>, schema: JsonSchema): unknown[] => {
  const properties = Object.keys(
    typeof schema.properties === 'object' && schema.properties !== null ? schema.properties : {},
  );
  return [
    null,
    [],
    [sample],
    'params',
    42,
    true,
    { ...sample, unexpected: 'x' },
    ...properties.map((name) => Object.fromEntries(Object.entries(sample).filter(([key]) => key !== name))),
    ...properties.flatMap((name) => WRONG_VALUES.map((value) => ({ ...sample, [name]: value }))),
  ];
};
