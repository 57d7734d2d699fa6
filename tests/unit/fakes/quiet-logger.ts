import { App } from '@slack/bolt';
import { LogLevel, type Logger } from '@slack/socket-mode';
import type { FakeSlack } from '@auth0-oncall/fakes/slack';

/** A Slack SDK logger that keeps lines in memory: test output stays readable, and tests can inspect it. */
export function quietLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  let level = LogLevel.DEBUG;
  const keep =
    (prefix: string) =>
    (...msg: unknown[]): void => {
      lines.push(`${prefix} ${msg.map(String).join(' ')}`);
    };
  return {
    lines,
    debug: keep('debug'),
    info: keep('info'),
    warn: keep('warn'),
    error: keep('error'),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}

/** A bare Bolt app wired the way the real one is: Socket Mode, every call aimed at the fake. */
export function boltAppFor(fake: FakeSlack): App {
  return new App({
    token: fake.options.botToken,
    appToken: fake.options.appToken,
    socketMode: true,
    logger: quietLogger(),
    clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
  });
}
