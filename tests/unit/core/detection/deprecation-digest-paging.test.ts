import { describe, expect, it } from 'vitest';
import { createIncidentService } from '../../../../src/core/incidents/incident-service.js';
import type { ChatMessage, IncidentChat } from '../../../../src/core/incidents/ports.js';
import { createReminders } from '../../../../src/core/incidents/reminders.js';
import { slackIncidentRenderer } from '../../../../src/slack/incident-renderer.js';
import { SqliteAuditLog, SqliteIncidentStore, openDatabase } from '../../../../src/store/index.js';
import { chatOutbox, outboxChatOver } from '../../../helpers/chat-outbox.js';
import { createWorld, later, NOW } from './world.js';

/** The deprecation digest through the real incident service and reminders: one card a day, no page. */

class RecordingChat implements IncidentChat {
  readonly posts: Array<{ text: string; threadTs: string | undefined }> = [];
  readonly updates: string[] = [];
  post(_channel: string, message: ChatMessage, threadTs?: string) {
    this.posts.push({ text: message.text, threadTs });
    return Promise.resolve({ ts: `1700000000.${String(this.posts.length).padStart(6, '0')}` });
  }
  update(_channel: string, _ts: string, message: ChatMessage) {
    this.updates.push(message.text);
    return Promise.resolve();
  }
  ephemeral() {
    return Promise.resolve();
  }
}

const depnote = (name: string) => ({
  client_id: 'WebApp0000000000000001',
  client_name: 'acme-web',
  description: `${name} is deprecated`,
  details: {
    feature: { id: name, name, description: 'removed soon', documentation: 'https://auth0.com/docs' },
  },
});

describe('the deprecation digest in the incident service', () => {
  it('posts one low card for two notices hours apart, and no reminder or escalation ever mentions anyone', async () => {
    const world = createWorld();
    const store = openDatabase({ path: ':memory:' });
    const incidents = new SqliteIncidentStore(store);
    const audit = new SqliteAuditLog(store);
    const chat = new RecordingChat();
    let now = NOW;
    const service = createIncidentService({
      incidents,
      audit,
      chat,
      cards: outboxChatOver(chat),
      outbox: chatOutbox(store, chat, () => now),
      unitOfWork: store,
      render: slackIncidentRenderer,
      channel: 'C0ALERTS',
      newId: () => `inc-${chat.posts.length + 1}`,
      now: () => now,
    });
    const reminders = createReminders({
      incidents,
      service,
      audit,
      escalationGroup: 'S0ONCALL',
      remindEveryMinutes: 10,
      escalateAfterMinutes: 30,
      now: () => now,
    });
    const evaluate = async () => {
      await service.apply(world.detector({ now: () => now }).evaluate(incidents.listOpen()));
    };

    world.add('depnote', 1, 1, depnote('Legacy Lock API'));
    await evaluate();
    now = later(180);
    world.add('depnote', -180, 1, depnote('Implicit grant response_mode'));
    await evaluate();
    expect(await reminders.run()).toBe(0);

    const cards = chat.posts.filter((p) => p.threadTs === undefined);
    expect(cards).toHaveLength(1);
    expect(incidents.listOpen()).toEqual([
      expect.objectContaining({
        signal: 'deprecation_notices',
        scope: 'day:2026-03-10',
        severity: 'low',
        title:
          'Deprecation digest for 2026-03-10: 2 notices about Implicit grant response_mode, Legacy Lock API',
        escalatedAt: null,
      }),
    ]);
    expect(chat.posts.filter((p) => p.threadTs !== undefined)).toEqual([]);
    store.close();
  });
});
