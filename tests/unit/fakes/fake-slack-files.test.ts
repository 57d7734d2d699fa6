import { WebClient } from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import type { BrowserState } from '@auth0-oncall/fakes/slack/browser/contract';
import { FakeSlack } from '@auth0-oncall/fakes/slack';
import { quietLogger } from './quiet-logger.js';

const fakes: FakeSlack[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.stop()));
});

const start = async () => {
  const fake = await FakeSlack.start();
  fakes.push(fake);
  const client = new WebClient(fake.options.botToken, {
    slackApiUrl: fake.apiUrl,
    logger: quietLogger(),
    retryConfig: { retries: 0 },
  });
  return { fake, client };
};

describe('file uploads in the fake Slack (the real WebClient.files.uploadV2)', () => {
  it('uploads a file into a thread: getUploadURLExternal, the POST, completeUploadExternal', async () => {
    const { fake, client } = await start();
    const parent = await client.chat.postMessage({ channel: 'C0ALERTS', text: 'card' });
    const text = '# Postmortem\n\nSomething happened — “quoted” ✓\n';
    const result = await client.files.uploadV2({
      channel_id: 'C0ALERTS',
      thread_ts: parent.ts!,
      filename: 'postmortem.md',
      title: 'Postmortem inc_1',
      content: text,
    });
    expect(result.ok).toBe(true);
    expect(fake.callsTo('files.getUploadURLExternal')[0]?.args).toMatchObject({
      filename: 'postmortem.md',
      length: String(Buffer.byteLength(text)),
    });
    expect(fake.callsTo('files.completeUploadExternal')[0]?.args).toMatchObject({
      channel_id: 'C0ALERTS',
      thread_ts: parent.ts,
    });
    const [file] = fake.threadFiles('C0ALERTS', parent.ts!);
    expect(file).toMatchObject({ name: 'postmortem.md', title: 'Postmortem inc_1', text, completed: true });
    // The share is a reply in the thread carrying the file, as conversations.replies returns it.
    const replies = await client.conversations.replies({ channel: 'C0ALERTS', ts: parent.ts! });
    expect(replies.messages?.at(-1)?.files?.[0]).toMatchObject({
      name: 'postmortem.md',
      title: 'Postmortem inc_1',
    });
    expect(fake.limitViolations).toEqual([]);
  });

  it('refuses what Slack refuses: missing arguments, an unknown file, a file never uploaded, a missing thread', async () => {
    const { fake, client } = await start();
    await expect(client.files.getUploadURLExternal({ filename: 'x.md', length: 0 })).rejects.toMatchObject({
      data: { error: 'invalid_arguments' },
    });
    await expect(client.files.completeUploadExternal({ files: [{ id: 'F0NOPE' }] })).rejects.toMatchObject({
      data: { error: 'file_not_found' },
    });
    const pending = await client.files.getUploadURLExternal({ filename: 'x.md', length: 3 });
    await expect(
      client.files.completeUploadExternal({ files: [{ id: pending.file_id! }], channel_id: 'C0ALERTS' }),
    ).rejects.toMatchObject({ data: { error: 'file_not_found' } });
    const put = await fetch(pending.upload_url!, { method: 'POST', body: 'abc' });
    expect(await put.text()).toBe('OK - 3');
    // The URL is single-use.
    expect((await fetch(pending.upload_url!, { method: 'POST', body: 'abc' })).status).toBe(404);
    await expect(
      client.files.completeUploadExternal({
        files: [{ id: pending.file_id! }],
        channel_id: 'C0ALERTS',
        thread_ts: '1.000001',
      }),
    ).rejects.toMatchObject({ data: { error: 'thread_not_found' } });
    expect(fake.files[0]?.completed).toBe(false);
  });

  it('reports a file whose bytes do not match the declared length', async () => {
    const { fake, client } = await start();
    const pending = await client.files.getUploadURLExternal({ filename: 'x.md', length: 10 });
    await fetch(pending.upload_url!, { method: 'POST', body: 'abc' });
    await client.files.completeUploadExternal({ files: [{ id: pending.file_id! }], channel_id: 'C0ALERTS' });
    expect(fake.limitViolations.join('\n')).toContain('3 bytes uploaded, 10 declared');
  });

  it('shows a shared file in the browser page state, with its text, under the thread it was shared in', async () => {
    const { fake, client } = await start();
    fake.enableBrowserView({ command: '/oncall' });
    const parent = await client.chat.postMessage({ channel: 'C0ALERTS', text: 'card' });
    await client.files.uploadV2({
      channel_id: 'C0ALERTS',
      thread_ts: parent.ts!,
      filename: 'postmortem.md',
      title: 'Postmortem',
      content: '# Hello',
      initial_comment: 'Here it is',
    });
    const state = (await (await fetch(`${fake.baseUrl}/ui/state?user=U0OPERATOR`)).json()) as BrowserState;
    const card = state.channel.messages.find((m) => m.ts === parent.ts);
    expect(card?.replies.at(-1)).toMatchObject({
      text: 'Here it is',
      files: [{ name: 'postmortem.md', title: 'Postmortem', size: 7, text: '# Hello' }],
    });
  });
});
