import { describe, expect, it } from 'vitest';
import { unknownTargetReply } from '../../../../src/slack/blocks/rotation-blocks.js';

describe('rotation replies', () => {
  it('escapes a client ID in the fallback text as it does in the blocks', () => {
    const reply = unknownTargetReply('<!channel>', []);
    expect(reply.text).not.toContain('<!channel>');
    expect(reply.text).toContain('&lt;!channel&gt;');
    expect(JSON.stringify(reply.blocks)).not.toContain('<!channel>');
  });
});
