import type { webApi } from '@slack/bolt';
import type { ChannelMembership, SlackProbe } from '../core/doctor/ports.js';

type Client = Pick<webApi.WebClient, 'auth' | 'conversations'>;

const errorCode = (err: unknown): string | undefined => {
  if (typeof err !== 'object' || err === null || !('data' in err)) return undefined;
  const data = (err as { data?: unknown }).data;
  return typeof data === 'object' && data !== null && 'error' in data && typeof data.error === 'string'
    ? data.error
    : undefined;
};

/** The doctor's view of Slack: the token's scopes (Slack's `x-oauth-scopes` header) and channel membership. */
export const createSlackDoctorProbe = (client: Client): SlackProbe => ({
  async grantedScopes() {
    // The SDK puts the x-oauth-scopes header of any reply into response_metadata.scopes.
    const reply = await client.auth.test();
    return reply.response_metadata?.scopes;
  },
  async membership(channel): Promise<ChannelMembership> {
    try {
      const reply = await client.conversations.info({ channel });
      return reply.channel?.is_member === true ? 'member' : 'not_member';
    } catch (err) {
      if (errorCode(err) === 'channel_not_found') return 'not_found';
      throw err;
    }
  },
});
