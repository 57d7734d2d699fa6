import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { SLACK_BOT_SCOPES } from '../../src/slack/bot-scopes.js';

// ajv-formats is CommonJS with a default export; under NodeNext its callable is `.default`.
const addFormats = addFormatsModule;

const read = (path: string): unknown => JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8'));

interface Manifest {
  features: { app_home?: { home_tab_enabled?: boolean }; slash_commands: Array<{ command: string }> };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    socket_mode_enabled?: boolean;
    interactivity: { is_enabled: boolean; request_url?: string };
    event_subscriptions: { bot_events: string[]; request_url?: string };
  };
}

describe('manifest.json', () => {
  const manifest = read('../../manifest.json') as Manifest;

  it('is a valid Slack app manifest (v1 schema)', () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats.default(ajv);
    const validate = ajv.compile(read('../fixtures/slack-manifest.schema.json') as object);
    const valid = validate(manifest);
    expect(ajv.errorsText(validate.errors)).toBe('No errors');
    expect(valid).toBe(true);
  });

  it('runs in Socket Mode: no request URLs anywhere', () => {
    expect(manifest.settings.socket_mode_enabled).toBe(true);
    expect(JSON.stringify(manifest)).not.toMatch(/request_url|"url"/);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.features.app_home?.home_tab_enabled).toBe(true);
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual(['/auth0']);
  });

  it('asks for exactly the scopes its commands and events need', () => {
    // The schema cannot check that events and scopes fit together; this does.
    const needs: Record<string, string[]> = {
      app_mention: ['app_mentions:read'],
      'message.channels': ['channels:history'],
      'message.groups': ['groups:history'],
      'message.im': ['im:history'],
      app_home_opened: [],
      subteam_members_changed: ['usergroups:read'],
    };
    const scopes = new Set(manifest.oauth_config.scopes.bot);
    // conversations.info (the doctor's alert-channel membership check) needs the two :read scopes.
    const required = new Set<string>([
      'commands',
      'chat:write',
      'users:read',
      'usergroups:read',
      'channels:read',
      'groups:read',
      // files.uploadV2: the postmortem file in an incident's thread.
      'files:write',
    ]);
    for (const event of manifest.settings.event_subscriptions.bot_events) {
      expect(needs, `unknown bot event ${event}`).toHaveProperty([event]);
      for (const scope of needs[event] ?? []) required.add(scope);
    }
    expect([...scopes].sort()).toEqual([...required].sort());
  });

  it('declares exactly the bot scopes the doctor checks the installed token for', () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...SLACK_BOT_SCOPES].sort());
  });
});
