import type { RotationTarget } from './target.js';

export type { RotationTarget } from './target.js';
type RotationStrategy = RotationTarget['strategy'];

/**
 * ROTATION_TARGETS format: comma-separated entries `<client_id>:<strategy>:<secret_id>`, e.g.
 *   Zx81billing:client_secret:prod/billing-worker/auth0,
 *   Kq02reports:private_key_jwt:arn:aws:secretsmanager:eu-west-1:123456789012:secret:reports-AbCdEf
 * The secret ID comes last because ARNs contain colons; Auth0 client IDs and strategy names do not,
 * and Secrets Manager names cannot contain commas, so the format is unambiguous.
 */
const ROTATION_TARGETS_FORMAT =
  '<client_id>:<strategy>:<secret_id>[,…] with strategy client_secret or private_key_jwt';

const clientIdPattern = /^[A-Za-z0-9_-]{8,128}$/;
// Secrets Manager: names are 1–512 of [A-Za-z0-9/_+=.@-]; full ARNs add colons.
const secretIdPattern = /^[A-Za-z0-9/_+=.@:-]{1,2048}$/;
const strategies: readonly RotationStrategy[] = ['client_secret', 'private_key_jwt'];

const isStrategy = (s: string): s is RotationStrategy => (strategies as readonly string[]).includes(s);

export const parseRotationTargets = (
  value: string | undefined,
  problems: Array<{ variable: string; message: string }>,
): RotationTarget[] => {
  if (value === undefined) return [];
  const targets: RotationTarget[] = [];
  const seen = new Set<string>();
  const entries = value
    .split(/[,\n]/)
    .map((e) => e.trim())
    .filter((e) => e !== '');
  entries.forEach((entry, i) => {
    const problem = (why: string) =>
      problems.push({
        variable: 'ROTATION_TARGETS',
        message: `entry ${i + 1} ${JSON.stringify(entry.slice(0, 80))} ${why}; expected ${ROTATION_TARGETS_FORMAT}`,
      });
    const first = entry.indexOf(':');
    const second = first < 0 ? -1 : entry.indexOf(':', first + 1);
    if (second < 0) return problem('has fewer than three parts');
    const clientId = entry.slice(0, first);
    const strategy = entry.slice(first + 1, second);
    const secretId = entry.slice(second + 1);
    if (!clientIdPattern.test(clientId)) return problem('has an invalid client ID');
    if (!isStrategy(strategy))
      return problem(`has an unknown strategy ${JSON.stringify(strategy.slice(0, 40))}`);
    if (!secretIdPattern.test(secretId)) return problem('has an invalid Secrets Manager secret ID');
    if (seen.has(clientId)) return problem('names a client that is already listed');
    seen.add(clientId);
    targets.push({ clientId, strategy, secretId });
  });
  return targets;
};
