import { afterEach, describe, expect, it } from 'vitest';
import type { ChatMessage, IncidentChat } from '../../../src/core/incidents/ports.js';
import type { RotationTarget } from '../../../src/core/rotation/target.js';
import { slackRotationAnnouncements } from '../../../src/slack/rotate-command.js';
import { openDatabase, type StoreDatabase } from '../../../src/store/index.js';
import { chatOutbox } from '../../helpers/chat-outbox.js';

/** A channel that is down for the next `down` posts. */
class FlakyChat implements IncidentChat {
  readonly posts: string[] = [];
  down = 0;
  post(_channel: string, message: ChatMessage) {
    if (this.down > 0) {
      this.down -= 1;
      return Promise.reject(new Error('slack answered 500'));
    }
    this.posts.push(message.text);
    return Promise.resolve({ ts: `1700000000.${String(this.posts.length).padStart(6, '0')}` });
  }
  update() {
    return Promise.resolve();
  }
  ephemeral() {
    return Promise.resolve();
  }
}

let db: StoreDatabase;
afterEach(() => {
  db.close();
});

const TARGET: RotationTarget = {
  clientId: 'Zx81billing',
  strategy: 'client_secret',
  secretId: 'prod/billing',
};

describe('rotation announcements through the outbox', () => {
  it('are delivered once, in order, after Slack was down when they were made', async () => {
    db = openDatabase({ path: ':memory:' });
    const chat = new FlakyChat();
    let now = Date.parse('2026-03-01T12:00:00.000Z');
    const outbox = chatOutbox(db, chat, () => new Date(now));
    const announce = slackRotationAnnouncements(outbox, 'C0ALERTS', () => new Date(now));
    chat.down = 2;
    await announce.started(TARGET, 'command', 'U0OPERATOR');
    await outbox.deliver();
    await announce.finished(
      TARGET,
      { ok: true, rotationId: 'rot_1', summary: 'rotated' },
      'command',
      'U0OPERATOR',
    );
    await outbox.deliver();
    expect(chat.posts).toEqual([]);

    for (let i = 0; i < 4; i += 1) {
      now += 10 * 60_000;
      await outbox.deliver();
    }
    expect(chat.posts).toHaveLength(2);
    expect(chat.posts[0]).toMatch(/Rotating/);
    expect(chat.posts[1]).toMatch(/Rotated/);
  });
});
