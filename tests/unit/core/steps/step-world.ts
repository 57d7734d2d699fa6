import type { AuditEntry } from '../../../../src/core/audit/ports.js';
import type { NewIncidentStep } from '../../../../src/core/incidents/model.js';
import type { InflightTracker } from '../../../../src/core/background/tasks.js';
import { createIncidentService } from '../../../../src/core/incidents/incident-service.js';
import type { ChatMessage, IncidentChat, OperatorDirectory } from '../../../../src/core/incidents/ports.js';
import {
  createStepRunner,
  type StepRunner,
  type StepRunOutcome,
} from '../../../../src/core/steps/step-runner.js';
import { slackStepRenderer } from '../../../../src/slack/blocks/step-blocks.js';
import { slackIncidentRenderer } from '../../../../src/slack/incident-renderer.js';
import {
  SqliteAuditLog,
  SqliteIdempotencyClaims,
  SqliteIncidentStore,
  openDatabase,
  type StoreDatabase,
} from '../../../../src/store/index.js';
import { CountingActions } from './counting-catalog.js';
import { chatOutbox, outboxChatOver } from '../../../helpers/chat-outbox.js';

/** Records what would reach Slack. */
class MemoryChat implements IncidentChat {
  readonly posts: Array<{ channel: string; message: ChatMessage; threadTs: string | undefined }> = [];
  readonly updates: Array<{ channel: string; ts: string; message: ChatMessage }> = [];
  private n = 0;
  post(channel: string, message: ChatMessage, threadTs?: string) {
    this.posts.push({ channel, message, threadTs });
    return Promise.resolve({ ts: `1700000000.${String(++this.n).padStart(6, '0')}` });
  }
  update(channel: string, ts: string, message: ChatMessage) {
    this.updates.push({ channel, ts, message });
    return Promise.resolve();
  }
  ephemeral() {
    return Promise.resolve();
  }
  thread(ts: string): string[] {
    return this.posts.filter((p) => p.threadTs === ts).map((p) => p.message.text);
  }
  lastCard(): string {
    return JSON.stringify(this.updates.at(-1)?.message.blocks ?? []);
  }
}

export const CARD_TS = '1700000000.000100';
const OPERATORS = ['U0OPERATOR', 'U0SECOND'];

/** Runbook of the main incident: every kind of step the runner must tell apart. */
const STEPS: NewIncidentStep[] = [
  {
    stepId: 'verify',
    kind: 'action',
    title: 'Re-check the signal',
    body: 'Counts again.',
    action: 'recheck_signal',
    params: { target: 'signal' },
  },
  {
    stepId: 'rollback',
    kind: 'action',
    title: 'Roll back to the previous secret',
    body: 'Restores AWSPREVIOUS on both sides.',
    action: 'rollback_client_secret',
    params: { target: 'billing-worker' },
    destructive: true,
  },
  { stepId: 'read', kind: 'guidance', title: 'Read the logs', body: 'Look for the first failure.' },
  {
    stepId: 'unblock',
    kind: 'action',
    title: 'Unblock the office IP',
    body: '',
    action: 'unblock_ip',
    params: { ip: '198.51.100.9' },
  },
  {
    stepId: 'broken',
    kind: 'action',
    title: 'Broken params',
    body: '',
    action: 'recheck_signal',
    params: { nope: 1 },
  },
  {
    stepId: 'uncatalogued',
    kind: 'action',
    title: 'Pause rotation',
    body: '',
    action: 'pause_rotation',
    params: {},
  },
];

/**
 * The step runner over a real in-memory SQLite, the real incident service (rendering real cards
 * into a recording chat), an operator list, and the counting catalog.
 */
export class StepWorld {
  readonly store: StoreDatabase = openDatabase({ path: ':memory:' });
  readonly incidents = new SqliteIncidentStore(this.store);
  readonly claims = new SqliteIdempotencyClaims(this.store);
  readonly audit = new SqliteAuditLog(this.store);
  readonly chat = new MemoryChat();
  readonly outbox = chatOutbox(this.store, this.chat, () => this.now());
  readonly actions = new CountingActions();
  readonly metrics: StepRunOutcome[] = [];
  readonly errors: string[] = [];
  runner: StepRunner;
  private clock = Date.parse('2026-03-02T09:00:00.000Z');

  constructor() {
    const at = this.at();
    for (const [id, title] of [
      ['inc-1', 'M2M token failures'],
      ['inc-2', 'Attack protection'],
    ] as const) {
      this.incidents.open({ id, signal: 'm2m_token_failures', scope: id, severity: 'high', title, at });
      this.incidents.update(id, {
        at,
        slackChannel: 'C0ALERTS',
        slackTs: id === 'inc-1' ? CARD_TS : '1700000000.000200',
      });
    }
    this.incidents.setSteps('inc-1', STEPS, at);
    this.incidents.setSteps('inc-2', [STEPS[0]!, { ...STEPS[0]!, stepId: 'other' }], at);
    this.runner = this.build();
  }

  now = () => new Date(this.clock);
  at = () => this.now().toISOString();
  advance(ms: number) {
    this.clock += ms;
  }

  /** A fresh runner over the same database: what a restart looks like. */
  build(opts: { operators?: OperatorDirectory; inflight?: InflightTracker } = {}): StepRunner {
    const service = createIncidentService({
      incidents: this.incidents,
      audit: this.audit,
      chat: this.chat,
      cards: outboxChatOver(this.chat),
      outbox: this.outbox,
      unitOfWork: this.store,
      render: slackIncidentRenderer,
      channel: 'C0ALERTS',
      newId: () => 'unused',
      now: this.now,
    });
    const operators = new Set(OPERATORS);
    return createStepRunner({
      incidents: this.incidents,
      claims: this.claims,
      audit: this.audit,
      catalog: this.actions.catalog(),
      // Asynchronous like the real directory, so concurrent clicks interleave at this await.
      ...(opts.inflight ? { inflight: opts.inflight } : {}),
      operators: opts.operators ?? {
        isOperator: (u) =>
          new Promise((resolve) => {
            setImmediate(() => {
              resolve(operators.has(u));
            });
          }),
      },
      service,
      outbox: this.outbox,
      unitOfWork: this.store,
      render: slackStepRenderer,
      now: this.now,
      metrics: { stepRun: (o) => this.metrics.push(o) },
      onError: (what) => this.errors.push(what),
    });
  }

  step(stepId: string, incidentId = 'inc-1') {
    return this.incidents.getStep(incidentId, stepId)!;
  }

  claimCount(): number {
    return this.store.db.prepare<[], number>('SELECT count(*) FROM idempotency_claims').pluck().get()!;
  }

  auditOf(action?: string): AuditEntry[] {
    return this.audit
      .latest(1000)
      .reverse()
      .filter((e) => action === undefined || e.action === action);
  }

  count<T>(xs: readonly T[], x: T): number {
    return xs.filter((y) => y === x).length;
  }

  close() {
    this.store.close();
  }
}
