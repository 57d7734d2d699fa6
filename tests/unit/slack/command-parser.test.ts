import { describe, expect, it } from 'vitest';
import { parseCommand, subcommands } from '../../../src/slack/command-parser.js';

describe('parseCommand', () => {
  it.each([
    ['', 'help'],
    ['   ', 'help'],
    ['help', 'help'],
    ['HELP', 'help'],
    ['status', 'status'],
    ['  Status  ', 'status'],
  ])('reads %j as %s', (text, kind) => {
    expect(parseCommand(text).kind).toBe(kind);
  });

  it('keeps an unknown subcommand as typed, for the reply', () => {
    expect(parseCommand('Deploy now')).toEqual({ kind: 'unknown', subcommand: 'Deploy' });
  });

  it('rejects extra arguments with the subcommand usage', () => {
    const parsed = parseCommand('status please');
    expect(parsed).toMatchObject({ kind: 'usage_error', problem: '`status` takes no arguments' });
    if (parsed.kind === 'usage_error') expect(parsed.spec.usage).toBe('/auth0 status');
  });

  it('reads a note as the incident ID and the rest of the text, lines kept', () => {
    expect(parseCommand('note inc_1a2b  rolled back\n  the Action')).toEqual({
      kind: 'note',
      incidentId: 'inc_1a2b',
      text: 'rolled back\n  the Action',
    });
    expect(parseCommand('note')).toMatchObject({
      kind: 'usage_error',
      problem: expect.stringMatching(/incident ID/),
    });
    expect(parseCommand('note inc_1')).toMatchObject({
      kind: 'usage_error',
      problem: expect.stringMatching(/text/),
    });
    expect(parseCommand('note ../x hello')).toMatchObject({ kind: 'usage_error' });
  });

  it('does not choke on very long or odd text', () => {
    const parsed = parseCommand(`${'x'.repeat(10_000)} <script> '; DROP TABLE audit_log; --`);
    expect(parsed.kind).toBe('unknown');
    if (parsed.kind === 'unknown') expect(parsed.subcommand.length).toBeLessThanOrEqual(4000);
  });

  it('lists a usage and a description for every subcommand', () => {
    for (const s of subcommands) {
      expect(s.usage.startsWith(`/auth0 ${s.name}`)).toBe(true);
      expect(s.description.length).toBeGreaterThan(5);
    }
  });
});
