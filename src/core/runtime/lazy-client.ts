/**
 * An SDK client whose package is imported, and the client built, on first use: the AWS and model
 * SDK clients (src/aws, src/llm) are a large share of what start-up would otherwise load, and many
 * deployments configure none of them (docs/architecture.md, "SDKs load on first use"). It imports
 * nothing itself, so both adapters share it here.
 */
export interface LazyClient<Sdk, Client> {
  /**
   * The SDK module and the client, imported and built by the first call, the same pair after. A
   * failed import rejects this call only (the next one tries again): callers load inside their
   * resilience policy or error handling, so it fails like the request would have.
   */
  load(): Promise<LoadedClient<Sdk, Client>>;
  /** Closes the client's sockets, if it was ever built. */
  destroy(): void;
}

interface LoadedClient<Sdk, Client> {
  readonly sdk: Sdk;
  readonly client: Client;
}

export const lazyClient = <Sdk, Client>(
  importSdk: () => Promise<Sdk>,
  build: (sdk: Sdk) => Client,
  release: (client: Client) => void,
): LazyClient<Sdk, Client> => {
  let loading: Promise<LoadedClient<Sdk, Client>> | undefined;
  let built: Client | undefined;
  let destroyed = false;
  return {
    load() {
      loading ??= importSdk().then(
        (sdk) => {
          const client = build(sdk);
          built = client;
          // destroy() came while the import was under way: nothing may keep sockets open after it.
          if (destroyed) release(client);
          return { sdk, client };
        },
        (error: unknown) => {
          loading = undefined;
          throw error;
        },
      );
      return loading;
    },
    destroy() {
      destroyed = true;
      if (built !== undefined) release(built);
    },
  };
};
