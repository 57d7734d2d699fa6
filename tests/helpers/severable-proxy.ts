import { createServer, connect, type AddressInfo, type Socket } from 'node:net';

export interface SeverableProxy {
  /** `http://127.0.0.1:<port>`: give the app this instead of the fake's own address. */
  readonly url: string;
  /**
   * The app's network dies here, as it does with its process: every open connection is cut and
   * new ones are refused, so a dropped in-process app can make no further effect on the fake.
   */
  sever(): Promise<void>;
}

/** A TCP relay to `target` (an http://127.0.0.1:port URL) that a test can cut like a killed process. */
export const severableProxy = async (target: string): Promise<SeverableProxy> => {
  const { hostname, port } = new URL(target);
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(Number(port), hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: own } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${String(own)}`,
    sever: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        for (const s of sockets) s.destroy();
      }),
  };
};
