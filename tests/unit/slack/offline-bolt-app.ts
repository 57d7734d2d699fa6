import { App, type Receiver } from '@slack/bolt';

/** A receiver that never listens: events are fed to Bolt with processEvent. */
const idleReceiver: Receiver = {
  init: () => undefined,
  start: () => Promise.resolve(),
  stop: () => Promise.resolve(),
};

/** A real Bolt App with no socket and no token check, for feeding it payloads with processEvent. */
export const offlineBoltApp = (): App =>
  new App({
    token: 'xoxb-test',
    receiver: idleReceiver,
    tokenVerificationEnabled: false,
    botId: 'B0BOT',
    botUserId: 'U0BOT',
  });
