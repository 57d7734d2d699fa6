import { createHmac } from 'node:crypto';

/** The header every hook request carries; receivers check it (README, docs/jwks-refresh-receiver.mjs). */
export const SIGNATURE_HEADER = 'x-auth0-oncall-signature';

/**
 * `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, keyed with JWKS_REFRESH_SECRET. The
 * timestamp is signed with the body, so a receiver that refuses a `t` more than five minutes away
 * from its clock refuses a replayed request; each retry is signed afresh for the same reason.
 */
export const signHook = (secret: string, body: string, at: Date): string => {
  const t = Math.floor(at.getTime() / 1000);
  const v1 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return `t=${t},v1=${v1}`;
};
