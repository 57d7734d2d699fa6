import { describe, expect, it } from 'vitest';
import { NOTE_MAX, noteText, redactSecrets } from '../../../../src/core/incidents/note-text.js';

describe('note text', () => {
  it('redacts what looks like a credential and keeps ordinary prose, IPs and IDs', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
    const text = redactSecrets(
      `token ${jwt}; client_secret=Zm9vYmFyYmF6cXV4; AKIAABCDEFGHIJKLMNOP; ${'a1B2'.repeat(12)}; blocked 203.0.113.7 for client abc123`,
    );
    expect(text).not.toContain(jwt);
    expect(text).not.toContain('Zm9vYmFyYmF6cXV4');
    expect(text).not.toContain('AKIAABCDEFGHIJKLMNOP');
    expect(text).not.toContain('a1B2a1B2a1B2a1B2a1B2');
    expect(text).toContain('client_secret=[redacted]');
    expect(text).toContain('blocked 203.0.113.7 for client abc123');
  });

  it('redacts a pasted private key whole', () => {
    const key = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----';
    expect(redactSecrets(`here: ${key} done`)).toBe('here: [redacted] done');
  });

  it('trims, drops control characters and bounds the length', () => {
    expect(noteText('  a\u0000b\u0007c  ')).toBe('abc');
    expect(noteText('x '.repeat(NOTE_MAX))).toHaveLength(NOTE_MAX);
    expect(noteText('line one\nline two')).toBe('line one\nline two');
  });
});
