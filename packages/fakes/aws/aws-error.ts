/** AWS errors as the awsJson1_1 protocol sends them: `{"__type": code, "Message": text}`. */

const SERVER_FAULTS = new Set(['InternalServiceError', 'InternalFailure', 'ServiceUnavailable']);

const defaultStatusOf = (type: string): number => (SERVER_FAULTS.has(type) ? 500 : 400);

/** Thrown by the vault and the request parsers; the server turns it into an error reply. */
export class AwsError extends Error {
  override readonly name = 'AwsError';

  constructor(
    readonly type: string,
    message: string,
    readonly status: number = defaultStatusOf(type),
  ) {
    super(message);
  }

  get body(): { __type: string; Message: string } {
    return { __type: this.type, Message: this.message };
  }
}

export const secretNotFound = (): AwsError =>
  new AwsError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");

export const invalidParameter = (message: string): AwsError =>
  new AwsError('InvalidParameterException', message);

export const invalidRequest = (message: string): AwsError => new AwsError('InvalidRequestException', message);
