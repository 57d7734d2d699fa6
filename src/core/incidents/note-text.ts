/**
 * A note as it is kept and shown: one bounded text with anything that looks like a credential
 * replaced. Notes are not secrets, but people paste tokens into chat by accident, and a note is
 * copied to the timeline and the thread (the audit log keeps only its length).
 */
export const NOTE_MAX = 2_000;

const SECRET_SHAPES: readonly RegExp[] = [
  // A JWT (access or ID token, client assertion).
  /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g,
  /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g,
  // `client_secret=…`, `password: …`, `Authorization: Bearer …`.
  /\b(client_secret|secret|password|passwd|api[_-]?key|token|bearer)(\s*[:=]\s*|\s+)[^\s,;]{6,}/gi,
  // A long unbroken run of key-like characters (base64, hex): a secret far more often than prose.
  /\b[A-Za-z0-9_\-+/]{40,}={0,2}/g,
];

export const redactSecrets = (text: string): string =>
  SECRET_SHAPES.reduce(
    (out, shape) =>
      out.replace(shape, (_m, name: unknown, sep: unknown) =>
        typeof name === 'string' && typeof sep === 'string' ? `${name}${sep}[redacted]` : '[redacted]',
      ),
    text,
  );

/** Trimmed, control characters dropped, credentials redacted, at most NOTE_MAX characters. */
export const noteText = (raw: string, max = NOTE_MAX): string => {
  // eslint-disable-next-line no-control-regex -- dropping control characters is the point
  const text = redactSecrets(raw.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '').trim());
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
};
