import { afterEach, describe, expect, it } from 'vitest';
import type { Detector } from '../../../../src/core/detection/detector.js';
import { createIncidentEvaluation } from '../../../../src/core/incidents/evaluation.js';
import { createIncidentService } from '../../../../src/core/incidents/incident-service.js';
import type { ChatMessage, IncidentChat } from '../../../../src/core/incidents/ports.js';
import type { WatcherEvent } from '../../../../src/core/watchers/model.js';
import { slackIncidentRenderer } from '../../../../src/slack/incident-renderer.js';
import {
  openDatabase,
  SqliteAuditLog,
  SqliteIncidentStore,
  type StoreDatabase,
} from '../../../../src/store/index.js';
import { chatOutbox, outboxChatOver } from '../../../helpers/chat-outbox.js';
import { ago, billing, createWorld, DB, later, NOW, type World } from './world.js';

/**
 * One root cause, one card (src/core/detection/grouping.ts): the real detector over stored logs,
 * the real incident service over SQLite, and what reaches the channel.
 */

class Channel implements IncidentChat {
  readonly posts: Array<{ message: ChatMessage; threadTs: string | undefined; ts: string }> = [];
  readonly updates = new Map<string, ChatMessage>();
  private n = 0;
  post(_channel: string, message: ChatMessage, threadTs?: string) {
    const ts = `1700000000.${String(++this.n).padStart(6, '0')}`;
    this.posts.push({ message, threadTs, ts });
    return Promise.resolve({ ts });
  }
  update(_channel: string, ts: string, message: ChatMessage) {
    this.updates.set(ts, message);
    return Promise.resolve();
  }
  ephemeral() {
    return Promise.resolve();
  }
  /** Each card as it reads now (its last update, else as posted). */
  cards(): string[] {
    return this.posts
      .filter((p) => p.threadTs === undefined)
      .map((p) => JSON.stringify((this.updates.get(p.ts) ?? p.message).blocks));
  }
}

const stores: StoreDatabase[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
});

const harness = (world: World, detector: Detector = world.detector()) => {
  const db = openDatabase({ path: ':memory:' });
  stores.push(db);
  const incidents = new SqliteIncidentStore(db);
  const channel = new Channel();
  let ids = 0;
  const service = createIncidentService({
    incidents,
    audit: new SqliteAuditLog(db),
    chat: channel,
    cards: outboxChatOver(channel),
    outbox: chatOutbox(db, channel),
    unitOfWork: db,
    render: slackIncidentRenderer,
    channel: 'C0ALERTS',
    newId: () => `inc-${String(++ids)}`,
    now: () => NOW,
  });
  const evaluation = createIncidentEvaluation({
    detector,
    incidents,
    service,
    logsFresh: () => true,
    requestRunbook: () => undefined,
    onApplyError: (error) => {
      throw error;
    },
    count: () => {
      throw new Error('not asked in these tests');
    },
  });
  const open = () =>
    incidents.listOpen().map((i) => ({ signal: i.signal, severity: i.severity, title: i.title }));
  return { evaluation, incidents, channel, open };
};

const rotated: WatcherEvent = {
  kind: 'signing_key_rotated',
  at: ago(3),
  scope: 'key:kid-B',
  severity: 'info',
  kid: 'kid-B',
  previousKid: 'kid-A',
  currentSince: ago(3),
};
const jwksMissing: WatcherEvent = {
  kind: 'jwks_missing_current',
  at: ago(2),
  scope: 'key:kid-B',
  severity: 'high',
  kid: 'kid-B',
  jwksKids: ['kid-A'],
};

describe('one signing-key rotation, one card', () => {
  it('keeps the rotation and a JWKS missing the new key on one card, titled after the worst part', async () => {
    const world = createWorld();
    const h = harness(world);
    await h.evaluation.onWatcherEvents([rotated, jwksMissing]);
    expect(h.open()).toEqual([
      {
        signal: 'signing_key',
        severity: 'high',
        title: 'The JWKS does not publish the current signing key kid-B',
      },
    ]);
    expect(h.channel.cards()).toHaveLength(1);
    const [card] = h.channel.cards();
    expect(card).toContain('One cause, 2 parts');
    expect(card).toContain('Signing key rotated to kid-B (info)');
  });

  it('stays open while one part is still active, and resolves when the last part recovers', async () => {
    const world = createWorld();
    const h = harness(world);
    await h.evaluation.onWatcherEvents([rotated, jwksMissing]);
    await h.evaluation.onWatcherEvents([
      {
        kind: 'jwks_missing_current_recovered',
        at: ago(1),
        scope: 'key:kid-B',
        severity: 'info',
        kid: 'kid-B',
        reason: 'resolved',
      },
    ]);
    expect(h.open()).toEqual([
      { signal: 'signing_key', severity: 'high', title: 'Signing key rotated to kid-B' },
    ]);
    expect(h.channel.cards()[0]).toContain('recovered');
  });

  it('joins the watcher’s rotation to token failures the logged rotation already explains', async () => {
    const world = createWorld();
    world.add('seccft', 180, 3, billing);
    world.add('sapi', 3, 1, { description: 'Rotate the Application Signing Key', client_id: 'TerraformCI1' });
    world.add('feccft', 2, 4, billing);
    world.add('feccft', 1, 4, billing);
    const h = harness(world);
    await h.evaluation.evaluate();
    expect(h.open()).toEqual([
      expect.objectContaining({
        signal: 'm2m_token_failures',
        title: expect.stringContaining('after signing-key rotation'),
      }),
    ]);
    await h.evaluation.onWatcherEvents([rotated]);
    expect(h.channel.cards()).toHaveLength(1);
    expect(h.open()).toHaveLength(1);
    expect(h.channel.cards()[0]).toContain('Signing key rotated to kid-B (info)');
  });
});

describe('one custom domain, one card', () => {
  const domain = 'login.acme.com';
  const expiring: WatcherEvent = {
    kind: 'certificate_expiring',
    at: ago(2),
    scope: `domain:${domain}`,
    severity: 'medium',
    domain,
    renewsBefore: '2026-03-14T00:00:00.000Z',
    daysLeft: 3,
    warnDays: 14,
  };
  const renewalFailed: WatcherEvent = {
    kind: 'certificate_renewal_failed',
    at: ago(2),
    scope: `domain:${domain}`,
    severity: 'high',
    domain,
    status: 'renewing_failed',
    errorMessage: 'CAA record forbids the certificate authority',
  };

  it('puts a failing renewal, the expiry it leads to and the failed verification on one high card', async () => {
    const world = createWorld();
    world.add('custom_domain_verification_failed', 1, 1, { details: { domain } });
    const h = harness(world);
    await h.evaluation.onWatcherEvents([expiring, renewalFailed]);
    await h.evaluation.evaluate();
    expect(h.channel.cards()).toHaveLength(1);
    expect(h.open()).toEqual([
      { signal: 'certificate', severity: 'high', title: `Certificate renewal failed for ${domain}` },
    ]);
    const [card] = h.channel.cards();
    expect(card).toContain('One cause, 3 parts');
    expect(card).toContain(`Certificate for ${domain} must renew within 3 days (medium)`);
  });

  it('resolves once both the renewal and the expiry recovered', async () => {
    const world = createWorld();
    const h = harness(world);
    await h.evaluation.onWatcherEvents([expiring, renewalFailed]);
    await h.evaluation.onWatcherEvents([
      {
        kind: 'certificate_renewal_failed_recovered',
        at: ago(0),
        scope: `domain:${domain}`,
        severity: 'info',
        domain,
        reason: 'resolved',
      },
    ]);
    expect(h.open()).toHaveLength(1);
    await h.evaluation.onWatcherEvents([
      {
        kind: 'certificate_expiring_recovered',
        at: ago(0),
        scope: `domain:${domain}`,
        severity: 'info',
        domain,
        renewsBefore: null,
        reason: 'resolved',
      },
    ]);
    expect(h.open()).toEqual([]);
    expect(h.channel.cards()).toHaveLength(1);
  });
});

describe('an attack from one IP and the tenant-wide count it feeds', () => {
  const attacker = '203.0.113.7';
  /** The IP card opened five minutes ago, when the attack was at its height. */
  const openedEarlier = async (world: World) => {
    world.add('limit_wc', 6, 12, { ip: attacker });
    let now = later(-5);
    const h = harness(world, world.detector({ now: () => now }));
    await h.evaluation.evaluate();
    expect(h.incidents.listOpen().map((i) => i.scope)).toEqual([`ip:${attacker}`]);
    now = NOW;
    return h;
  };

  it('opens no tenant-wide card while the open IP card is the bulk of it, though the IP slid below its level', async () => {
    const world = createWorld();
    const h = await openedEarlier(world);
    // The attack's busiest minute slid out of the window: the IP alone is below the floor, the
    // tenant as a whole (the IP and a few others) above it.
    world.add('limit_wc', 1, 8, { ip: attacker });
    world.add('limit_wc', 0, 5, (i) => ({ ip: `192.0.2.${String(i % 3)}` }));
    await h.evaluation.evaluate();
    expect(h.incidents.listOpen().map((i) => i.scope)).toEqual([`ip:${attacker}`]);
    expect(h.channel.cards()).toHaveLength(1);
  });

  it('still opens the tenant-wide card when the open IP is only a small part of it', async () => {
    const world = createWorld();
    const h = await openedEarlier(world);
    world.add('limit_wc', 1, 1, { ip: attacker });
    world.add('limit_wc', 0, 12, (i) => ({ ip: `192.0.2.${String(i)}` }));
    await h.evaluation.evaluate();
    expect(
      h.incidents
        .listOpen()
        .map((i) => i.scope)
        .sort(),
    ).toEqual([`ip:${attacker}`, 'tenant']);
  });
});

describe('distinct reasons in one scope', () => {
  it('gives a wrong callback URL its own configuration card, apart from wrong passwords', async () => {
    const world = createWorld();
    const app = { client_id: 'WebApp0001', client_name: 'acme-web' };
    world.spread('s', 4, 0, 20, { ...db, ...app });
    world.spread('fp', 4, 0, 12, { ...db, ...app, description: 'Wrong email or password.' });
    world.spread('f', 4, 0, 10, {
      ...app,
      description:
        'Callback URL mismatch. https://staging.acme.com/callback is not in the list of allowed callback URLs',
    });
    const h = harness(world);
    await h.evaluation.evaluate();
    const titles = h.open().map((o) => `${o.signal}: ${o.title}`);
    expect(titles).toContainEqual(
      'callback_mismatch: Callback URL https://staging.acme.com/callback not allowed for acme-web (WebApp0001): 50 logins refused in 5 min',
    );
    const logins = h.incidents.listOpen().filter((i) => i.signal === 'failed_logins');
    for (const card of logins) expect(JSON.stringify(card.evidence)).not.toMatch(/callback/i);
  });
});

const db = { connection: DB };
