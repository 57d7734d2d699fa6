import { LogLevel, type Logger } from '@slack/socket-mode';

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
