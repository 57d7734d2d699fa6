import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';

const capture = () => {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  return { lines, stream };
};

describe('createLogger', () => {
  it('writes JSON lines with level names and an ISO time', () => {
    const { lines, stream } = capture();
    createLogger({ level: 'info' }, stream).info({ event: 'x' }, 'hello');
    const entry = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
    expect(entry).toMatchObject({ level: 'info', msg: 'hello', event: 'x', name: 'auth0-oncall' });
    expect(String(entry.time)).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('redacts tokens, secrets and keys at the top level and one level down', () => {
    const { lines, stream } = capture();
    const logger = createLogger({ level: 'info' }, stream);
    logger.info({
      token: 't-1',
      clientSecret: 's-2',
      config: { botToken: 'xoxb-3', privateKey: 'k-4', apiKey: 'a-5' },
      headers: { authorization: 'Bearer b-6' },
      err: { client_secret: 's-7', SecretString: 'v-8' },
    });
    const out = lines.join('');
    for (const secret of ['t-1', 's-2', 'xoxb-3', 'k-4', 'a-5', 'b-6', 's-7', 'v-8'])
      expect(out).not.toContain(secret);
    expect(out).toContain('[redacted]');
  });

  it('respects the level', () => {
    const { lines, stream } = capture();
    const logger = createLogger({ level: 'warn' }, stream);
    logger.info('quiet');
    logger.warn('loud');
    expect(lines).toHaveLength(1);
  });
});
