/**
 * A fake AWS Secrets Manager over real HTTP on 127.0.0.1, speaking awsJson1_1, so
 * the real `@aws-sdk/client-secrets-manager` runs unmodified against it. SigV4 is not verified,
 * but an Authorization header must be present. Aim a client at it with
 * `{ endpoint: fake.endpoint, region: fake.region, credentials: FAKE_CREDENTIALS, maxAttempts: 1 }`.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { AwsError } from './aws-error.js';
import { Faults, type FaultReply } from './faults.js';
import { isSecretsOp, operations } from './operations.js';
import { SecretVault, type StoredSecret } from './secret-vault.js';
import { CURRENT } from './staging.js';
import type {
  CallOutcome,
  ErrorSpec,
  FailSpec,
  FakeSecretsManagerOptions,
  OpSelector,
  RecordedCall,
  SecretsOp,
  VersionView,
} from './types.js';
import { headerText, parseParams, readBody, redact, sendJson, targetOp, type ParsedParams } from './wire.js';

/** Static credentials for clients aimed at the fake; never valid anywhere else. */
export const FAKE_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' } as const;

interface Answer {
  readonly status: number;
  readonly body: unknown;
}

export class FakeSecretsManager {
  readonly endpoint: string;
  readonly region: string;
  private readonly now: () => number;
  private readonly vault: SecretVault;
  private readonly faults = new Faults();
  private readonly recorded: RecordedCall[] = [];
  private stopping: Promise<void> | undefined;

  static async start(options: FakeSecretsManagerOptions = {}): Promise<FakeSecretsManager> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        resolve();
      });
    });
    const address = server.address();
    if (address === null || typeof address === 'string') {
      throw new Error('fake Secrets Manager: server has no TCP address');
    }
    return new FakeSecretsManager(server, address.port, options);
  }

  private constructor(
    private readonly server: Server,
    port: number,
    options: FakeSecretsManagerOptions,
  ) {
    this.endpoint = `http://127.0.0.1:${port}`;
    this.region = options.region ?? 'us-east-1';
    this.now = options.now ?? Date.now;
    this.vault = new SecretVault({
      region: this.region,
      accountId: options.accountId ?? '000000000000',
      now: this.now,
    });
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      // A caller that aborts mid-body makes readBody reject; there is nobody left to answer.
      this.onRequest(req, res).catch(() => res.destroy());
    });
  }

  /** Every call received, oldest first. Secret values are redacted before they are recorded. */
  get requests(): readonly RecordedCall[] {
    return this.recorded;
  }

  requestsFor(op: SecretsOp): RecordedCall[] {
    return this.recorded.filter((call) => call.op === op);
  }

  /** Creates `name` with one AWSCURRENT version holding `value`. */
  seed(
    name: string,
    value: string,
    options: { versionId?: string } = {},
  ): { arn: string; versionId: string } {
    if (this.vault.find(name) !== undefined) throw new Error(`fake Secrets Manager: ${name} already exists`);
    const versionId = options.versionId ?? randomUUID();
    const { secret } = this.vault.create({ name, token: versionId, value: { secretString: value } });
    return { arn: secret.arn, versionId };
  }

  /** Adds a version to a seeded secret with exactly these labels (moved from wherever they were). */
  putVersion(
    name: string,
    value: string,
    stages: readonly string[],
    versionId: string = randomUUID(),
  ): string {
    this.vault.put(this.secret(name).name, versionId, { secretString: value }, stages);
    return versionId;
  }

  arnOf(name: string): string {
    return this.secret(name).arn;
  }

  /** All versions, deprecated ones included, in creation order. */
  versions(name: string): VersionView[] {
    return this.secret(name).versions.map((v) => ({
      versionId: v.versionId,
      ...(v.value.secretString === undefined ? {} : { value: v.value.secretString }),
      ...(v.value.secretBinary === undefined ? {} : { binary: v.value.secretBinary }),
      stages: [...v.stages],
      deprecated: v.stages.length === 0,
      createdAt: v.createdAt,
    }));
  }

  /** What DescribeSecret's VersionIdsToStages shows: labelled versions only. */
  stagesOf(name: string): Record<string, string[]> {
    return Object.fromEntries(
      this.secret(name)
        .versions.filter((v) => v.stages.length > 0)
        .map((v) => [v.versionId, [...v.stages]]),
    );
  }

  /** The version carrying AWSCURRENT (or `label`), if any. */
  versionWith(name: string, label: string = CURRENT): string | undefined {
    return this.secret(name).versions.find((v) => v.stages.includes(label))?.versionId;
  }

  /** The next `times` calls of `op` fail before doing anything. */
  failNext(op: OpSelector, spec: FailSpec = {}): void {
    this.faults.failNext(op, spec);
  }

  /**
   * The next `times` calls of `op` that succeed apply their effect, then answer with an error
   * (default 500 InternalServiceError) or drop the connection: the caller cannot tell whether
   * anything changed.
   */
  crashAfter(op: OpSelector, spec: FailSpec = {}): void {
    this.faults.crashAfter(op, spec);
  }

  /** Calls of `op` wait `ms` before running (and still run if the caller gave up); 0 clears. */
  latency(op: OpSelector, ms: number): void {
    this.faults.latency(op, ms);
  }

  /** The next call of `op` gets a 200 with `body` (default `{}`) and changes nothing. */
  malformedNext(op: OpSelector, body: unknown = {}): void {
    this.faults.malformedNext(op, body);
  }

  /** Every call fails (default 500 InternalServiceError) until `restore()`. */
  outage(spec: ErrorSpec = {}): void {
    this.faults.outage(spec);
  }

  restore(): void {
    this.faults.restore();
  }

  clearFaults(): void {
    this.faults.clear();
  }

  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private secret(name: string): StoredSecret {
    const secret = this.vault.find(name);
    if (secret === undefined) throw new Error(`fake Secrets Manager: no secret ${name}`);
    return secret;
  }

  private async shutdown(): Promise<void> {
    this.faults.stop();
    await new Promise<void>((resolve) => {
      this.server.close(() => {
        resolve();
      });
      // The SDK's keep-alive sockets would otherwise hold close() open.
      this.server.closeAllConnections();
    });
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const header = req.headers['x-amz-target'];
    const op = targetOp(header);
    const parsed = parseParams(raw);
    const call: RecordedCall = {
      op: op ?? headerText(header),
      params: parsed.ok ? redact(parsed.value) : {},
      hasAuthorization: headerText(req.headers.authorization) !== '',
      at: this.now(),
      status: 0,
      outcome: 'pending',
    };
    this.recorded.push(call);
    const intercepted = await this.faults.before(call.op);
    if (intercepted === 'stopped') {
      this.reply(res, call, { kind: 'drop' }, 'dropped');
      return;
    }
    if (intercepted !== undefined) {
      this.reply(res, call, intercepted.reply, intercepted.source);
      return;
    }
    const answer = this.dispatch(op, parsed, call.hasAuthorization);
    const crash = answer.status === 200 ? this.faults.takeCrash(call.op) : undefined;
    if (crash !== undefined) {
      this.reply(res, call, crash, 'crashed');
      return;
    }
    call.status = answer.status;
    call.outcome = 'answered';
    if (answer.status !== 200) call.errorType = errorTypeOf(answer.body);
    sendJson(res, answer.status, answer.body);
  }

  private dispatch(op: string | undefined, parsed: ParsedParams, hasAuthorization: boolean): Answer {
    try {
      if (!hasAuthorization) {
        throw new AwsError('MissingAuthenticationTokenException', 'Missing Authentication Token');
      }
      if (op === undefined || !isSecretsOp(op)) {
        throw new AwsError('UnknownOperationException', 'The operation named in X-Amz-Target is unknown.');
      }
      if (!parsed.ok) throw new AwsError('SerializationException', 'The request body is not a JSON object.');
      return { status: 200, body: operations[op](this.vault, parsed.value) };
    } catch (error) {
      if (error instanceof AwsError) return { status: error.status, body: error.body };
      // Never echo the error: it could quote a request field.
      return {
        status: 500,
        body: { __type: 'InternalFailure', Message: 'fake Secrets Manager: internal error' },
      };
    }
  }

  private reply(res: ServerResponse, call: RecordedCall, fault: FaultReply, outcome: CallOutcome): void {
    call.outcome = fault.kind === 'drop' ? 'dropped' : outcome;
    if (fault.kind === 'drop') {
      res.destroy();
      return;
    }
    if (fault.kind === 'raw') {
      call.status = 200;
      sendJson(res, 200, fault.body);
      return;
    }
    call.status = fault.error.status;
    call.errorType = fault.error.type;
    sendJson(res, fault.error.status, fault.error.body);
  }
}

const errorTypeOf = (body: unknown): string | undefined =>
  typeof body === 'object' && body !== null && '__type' in body && typeof body.__type === 'string'
    ? body.__type
    : undefined;
