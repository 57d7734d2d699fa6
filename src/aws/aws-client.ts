import { lazyClient, type LazyClient } from '../core/runtime/lazy-client.js';

/** Where and as whom an AWS SDK client connects. */
export interface AwsClientOptions<Credentials> {
  readonly region: string;
  /** The service's AWS_ENDPOINT_URL_* value: a local fake or a VPC endpoint. */
  readonly endpoint?: string | undefined;
  /** Static credentials (tests, the fake); the SDK's default provider chain when absent. */
  readonly credentials?: Credentials;
}

/**
 * An AWS SDK client, imported and built on first use (src/core/runtime/lazy-client.ts), with one
 * attempt per call: our policies and loops are the one retry layer, and the SDK's own attempts
 * would multiply theirs and resend writes unseen. Destroying it closes the client's sockets.
 */
export const lazyAwsClient = <Sdk, Client extends { destroy(): void }, Credentials>(
  importSdk: () => Promise<Sdk>,
  construct: (
    sdk: Sdk,
    config: { region: string; maxAttempts: number; endpoint?: string; credentials?: Credentials },
  ) => Client,
  options: AwsClientOptions<Credentials>,
): LazyClient<Sdk, Client> =>
  lazyClient(
    importSdk,
    (sdk) =>
      construct(sdk, {
        region: options.region,
        maxAttempts: 1,
        ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
        ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
      }),
    (client) => {
      client.destroy();
    },
  );
