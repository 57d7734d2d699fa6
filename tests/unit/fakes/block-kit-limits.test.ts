import { describe, expect, it } from 'vitest';
import { checkBlockKitLimits, checkViewLimits } from '@auth0-oncall/fakes/slack';

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
const button = (overrides: Record<string, unknown> = {}) => ({
  type: 'button',
  action_id: 'ack',
  text: { type: 'plain_text', text: 'Ack' },
  value: 'v',
  ...overrides,
});

describe('checkBlockKitLimits', () => {
  it('accepts a message sitting exactly on every limit it touches', () => {
    const blocks = [
      { type: 'header', text: { type: 'plain_text', text: 'h'.repeat(150) } },
      { ...section('s'.repeat(3000)), block_id: 'b'.repeat(255) },
      {
        type: 'section',
        fields: Array.from({ length: 10 }, () => ({ type: 'mrkdwn', text: 'f'.repeat(2000) })),
      },
      {
        type: 'actions',
        elements: Array.from({ length: 25 }, (_, i) =>
          button({
            action_id: `${i}`.padEnd(255, 'a'),
            text: { type: 'plain_text', text: 't'.repeat(75) },
            value: 'v'.repeat(2000),
          }),
        ),
      },
      { type: 'context', elements: Array.from({ length: 10 }, () => ({ type: 'mrkdwn', text: 'c' })) },
      ...Array.from({ length: 45 }, () => ({ type: 'divider' })),
    ];
    expect(blocks).toHaveLength(50);
    expect(checkBlockKitLimits(blocks, { surface: 'message' })).toEqual([]);
  });

  it('names the exact path and sizes of an over-long section text', () => {
    const blocks = [section('a'), section('b'), section('c'), section('x'.repeat(3012))];
    expect(checkBlockKitLimits(blocks, { surface: 'message' })).toEqual(['blocks[3].text.text: 3012 > 3000']);
  });

  it('rejects a section listing 200 IP addresses as fields', () => {
    const ips = Array.from({ length: 200 }, (_, i) => ({
      type: 'mrkdwn',
      text: `10.0.${Math.floor(i / 250)}.${i % 250}`,
    }));
    expect(checkBlockKitLimits([{ type: 'section', fields: ips }], { surface: 'message' })).toEqual([
      'blocks[0].fields: 200 > 10',
    ]);
  });

  it('allows 100 blocks in a view but only 50 in a message', () => {
    const blocks = Array.from({ length: 100 }, () => ({ type: 'divider' }));
    expect(checkBlockKitLimits(blocks, { surface: 'home' })).toEqual([]);
    expect(checkBlockKitLimits(blocks, { surface: 'message' })).toEqual(['blocks: 100 > 50']);
    expect(checkBlockKitLimits([...blocks, { type: 'divider' }], { surface: 'modal' })).toEqual([
      'blocks: 101 > 100',
    ]);
  });

  it('checks buttons, their confirm dialogs and element counts', () => {
    const confirm = {
      title: { type: 'plain_text', text: 't'.repeat(101) },
      text: { type: 'plain_text', text: 'x'.repeat(301) },
      confirm: { type: 'plain_text', text: 'c'.repeat(31) },
      deny: { type: 'plain_text', text: 'd'.repeat(31) },
    };
    const bad = button({
      text: { type: 'plain_text', text: 'b'.repeat(76) },
      value: 'v'.repeat(2001),
      url: 'u'.repeat(3001),
      confirm,
    });
    const blocks = [
      { type: 'actions', elements: [bad, ...Array.from({ length: 25 }, () => button())] },
      { type: 'context', elements: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'c' })) },
      {
        type: 'section',
        text: { type: 'mrkdwn', text: 'x' },
        accessory: button({ action_id: 'a'.repeat(256) }),
      },
      { type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } },
      { type: 'section', fields: [{ type: 'mrkdwn', text: 'f'.repeat(2001) }] },
    ];
    expect(checkBlockKitLimits(blocks, { surface: 'message' })).toEqual([
      'blocks[0].elements: 26 > 25',
      'blocks[0].elements[0].text.text: 76 > 75',
      'blocks[0].elements[0].value: 2001 > 2000',
      'blocks[0].elements[0].url: 3001 > 3000',
      'blocks[0].elements[0].confirm.title.text: 101 > 100',
      'blocks[0].elements[0].confirm.text.text: 301 > 300',
      'blocks[0].elements[0].confirm.confirm.text: 31 > 30',
      'blocks[0].elements[0].confirm.deny.text: 31 > 30',
      'blocks[1].elements: 11 > 10',
      'blocks[2].accessory.action_id: 256 > 255',
      'blocks[3].text.text: 151 > 150',
      'blocks[4].fields[0].text: 2001 > 2000',
    ]);
  });

  it('reports malformed input instead of throwing', () => {
    expect(checkBlockKitLimits('[]', { surface: 'message' })).toEqual(['blocks: not an array']);
    expect(checkBlockKitLimits([{ text: 'no type' }, { type: 'section' }], { surface: 'message' })).toEqual([
      'blocks[0].type: missing',
      'blocks[1]: needs text or fields',
    ]);
  });
});

describe('checkViewLimits', () => {
  const modal = {
    type: 'modal',
    callback_id: 'c',
    title: { type: 'plain_text', text: 't'.repeat(24) },
    submit: { type: 'plain_text', text: 's'.repeat(24) },
    close: { type: 'plain_text', text: 'c'.repeat(24) },
    private_metadata: 'm'.repeat(3000),
    blocks: [section('x')],
  };

  it('accepts a modal on its title, button and metadata limits', () => {
    expect(checkViewLimits(modal)).toEqual([]);
  });

  it('flags modal title, submit, close, metadata and callback_id overruns', () => {
    const bad = {
      ...modal,
      callback_id: 'c'.repeat(256),
      title: { type: 'plain_text', text: 't'.repeat(25) },
      submit: { type: 'plain_text', text: 's'.repeat(25) },
      close: { type: 'plain_text', text: 'c'.repeat(25) },
      private_metadata: 'm'.repeat(3001),
    };
    expect(checkViewLimits(bad)).toEqual([
      'view.callback_id: 256 > 255',
      'view.private_metadata: 3001 > 3000',
      'view.title.text: 25 > 24',
      'view.submit.text: 25 > 24',
      'view.close.text: 25 > 24',
    ]);
  });

  it('flags a view whose serialized form passes 250 kB', () => {
    const blocks = Array.from({ length: 90 }, () => section('x'.repeat(2900)));
    const found = checkViewLimits({ type: 'home', blocks });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^view: \d+ bytes > 250000$/);
  });
});
