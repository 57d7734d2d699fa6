import { ManagementError } from 'auth0';

/** A body that must never surface in a message, a log line, the audit log or a health event. */
export const SECRET_BODY = { error: 'invalid_client', client_secret: 'shh-very-secret' };

/** What node-auth0 v7 throws for an HTTP error: a real ManagementError with its raw response. */
export const auth0Error = (
  statusCode: number,
  headers: Record<string, string> = {},
  message?: string,
): ManagementError =>
  new ManagementError({
    ...(message === undefined ? {} : { message }),
    statusCode,
    body: SECRET_BODY,
    rawResponse: new Response(null, { status: statusCode, headers }),
  });

/** node-auth0's token provider failing: the credential was refused. */
export const tokenRequestFailed = (statusCode = 401): ManagementError =>
  new ManagementError({ message: 'ManagementClient: token request failed', statusCode, body: SECRET_BODY });

export const networkError = (code: string): Error =>
  Object.assign(new Error(`connect ${code} 127.0.0.1:443`), { code });

/** undici's shape: "fetch failed" with the socket error as its cause. */
export const fetchFailed = (code: string): TypeError =>
  new TypeError('fetch failed', { cause: networkError(code) });

/** The shape of an AWS SDK v3 ServiceException, without the SDK. */
export class FakeAwsError extends Error {
  readonly $fault: 'client' | 'server';
  readonly $metadata: { httpStatusCode?: number; requestId?: string };
  readonly $retryable?: { throttling?: boolean };

  constructor(name: string, httpStatusCode: number, options: { throttling?: boolean } = {}) {
    super(`${name}: something happened`);
    this.name = name;
    this.$fault = httpStatusCode >= 500 ? 'server' : 'client';
    this.$metadata = { httpStatusCode, requestId: 'req-1' };
    if (options.throttling !== undefined) this.$retryable = { throttling: options.throttling };
  }
}

/** Unix seconds `seconds` from the (fake) clock. */
export const resetIn = (seconds: number): string => String(Math.floor(Date.now() / 1000) + seconds);
