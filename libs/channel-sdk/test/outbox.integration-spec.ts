import { randomUUID } from 'node:crypto';
import { EventBus, PermanentError } from '@aduan/bus';
import type { Channel, DeliveryOutcome, Notification } from '@aduan/contracts';
import {
  capturedLogger,
  collectEvents,
  createTestDatabase,
  eventually,
  testEnv,
  uniqueSuffix,
  uniqueTopicPrefix,
  type TestDatabase,
} from '@aduan/testing';
import {
  FollowUpIntake,
  followUpIdFor,
  NotificationQueue,
  openChannelStore,
  Outbox,
  OutboxWorker,
  reportIdFor,
  trackingCodeFor,
  type ChannelStore,
  type OutboundMessage,
  type OutboundSender,
  type OutboxWorkerOptions,
  type SendRequest,
} from '../src';
// Not part of the kit's public surface: the runner seals with it, the test opens the same way.
import { Sealer } from '../src/outbound/sealed';

const SECRET = 'test-secret';
const ADDRESS = 'warga@example.id';

/**
 * Every test sends on a channel of its own: a worker claims whatever is due on its channels, so
 * with a shared name one test's worker would send (or retry) another test's messages.
 */
function freshChannel(): Channel {
  return `mail_${uniqueSuffix()}`;
}

function notification(channel: Channel, overrides: Partial<Notification> = {}): Notification {
  const reportId = reportIdFor(channel, randomUUID());
  return {
    notificationId: randomUUID(),
    reportId,
    trackingCode: trackingCodeFor(reportId, SECRET),
    channel,
    locale: 'id',
    state: 'IN_PROGRESS',
    message: 'Laporan Anda sedang diproses.',
    ...overrides,
  };
}

function message(channel: Channel, overrides: Partial<OutboundMessage> = {}): OutboundMessage {
  return {
    deliveryId: randomUUID(),
    channel,
    kind: 'notification',
    reportId: reportIdFor(channel, randomUUID()),
    to: { address: ADDRESS },
    message: { subject: 'Laporan', text: 'Laporan Anda sedang diproses.' },
    ...overrides,
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the outbox, its worker and the notification queue on a real Kafka and PostgreSQL', () => {
  const prefix = uniqueTopicPrefix();
  const { logger, lines } = capturedLogger('channel-sdk-test');
  const sealer = new Sealer(SECRET);
  const outcomes: DeliveryOutcome[] = [];
  let database: TestDatabase;
  let store: ChannelStore;
  let bus: EventBus;
  let outbox: Outbox;
  const running: Array<{ stop(): Promise<void> }> = [];

  beforeAll(async () => {
    database = await createTestDatabase('channel_sdk');
    store = await openChannelStore({ url: database.url, secret: SECRET, logger });
    outbox = new Outbox(store.db, sealer, async (o) => void outcomes.push(o));
    bus = new EventBus({
      brokers: testEnv.kafkaBrokers,
      clientId: 'sdk-test',
      source: '/aduan/test',
      logger,
      topicPrefix: prefix,
      partitions: 1,
    });
    await bus.connect();
    await bus.ensureTopics(['aduan.notification.v1']);
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map((r) => r.stop()));
  });

  afterAll(async () => {
    const topics = (await bus.adminClient.listTopics()).filter((t) => t.startsWith(prefix));
    if (topics.length) await bus.adminClient.deleteTopics({ topics });
    await bus.close();
    await store.close();
    await database.drop();
  });

  function worker(
    channel: Channel,
    send: OutboundSender,
    opts: Partial<OutboxWorkerOptions> = {},
  ): OutboxWorker {
    return new OutboxWorker({
      db: store.db,
      outbox,
      sealer,
      channels: [channel],
      send,
      logger,
      pollMs: 20,
      retryBaseMs: 20,
      retryMaxMs: 50,
      ...opts,
    });
  }

  async function startQueue(channel: Channel, groupId: string): Promise<NotificationQueue> {
    const queue = new NotificationQueue({
      bus,
      outbox,
      conversations: store.conversations,
      replies: store.replies,
      channels: [channel],
      groupId,
    });
    await queue.start();
    running.push(queue);
    return queue;
  }

  /** A notification about a report the adapter opened: its reply book says where to answer. */
  async function forOpenedReport(channel: Channel): Promise<Notification> {
    const n = notification(channel);
    await store.replies.record(channel, n.reportId, { address: ADDRESS });
    return n;
  }

  async function rawDeliveries(): Promise<string> {
    return JSON.stringify(await store.db.query('SELECT * FROM channel_delivery'));
  }

  it('queues a notification delivered twice once, sends it once, and skips other channels', async () => {
    const channel = freshChannel();
    await startQueue(channel, `notify-${uniqueSuffix()}`);
    const n = await forOpenedReport(channel);
    const forSms = notification('sms', { recipient: { address: '+6281234567890' } });
    await bus.publish('aduan.notification.v1', n);
    await bus.publish('aduan.notification.v1', forSms);
    await bus.publish('aduan.notification.v1', n); // the status outbox relayed it again
    const marker = await forOpenedReport(channel);
    await bus.publish('aduan.notification.v1', marker);
    await eventually(async () => expect(await outbox.find(marker.notificationId)).not.toBeNull());

    const about = (id: string, text: string) => lines.filter((l) => l.includes(id) && l.includes(text));
    expect(about(n.notificationId, '"notification queued"')).toHaveLength(1);
    expect(about(n.notificationId, 'notification queued before; not queued again')).toHaveLength(1);
    expect(await outbox.find(forSms.notificationId)).toBeNull();
    expect(await outbox.find(n.notificationId)).toMatchObject({
      status: 'pending',
      holdsRecipient: true,
    });
    expect(await rawDeliveries()).not.toContain(ADDRESS);

    const sent: SendRequest[] = [];
    const w = worker(channel, async (request) => {
      sent.push(request);
      return `provider-${request.deliveryId}`;
    });
    expect(await w.runOnce()).toBe(2);
    expect(await w.runOnce()).toBe(0);
    expect(sent.map((r) => r.deliveryId).sort()).toEqual([n.notificationId, marker.notificationId].sort());
    expect(sent.find((r) => r.deliveryId === n.notificationId)).toMatchObject({
      channel,
      kind: 'notification',
      reportId: n.reportId,
      to: { address: ADDRESS },
      message: { subject: `Laporan ${n.trackingCode}`, text: n.message },
    });
    expect(await outbox.find(n.notificationId)).toMatchObject({
      status: 'sent',
      channel,
      kind: 'notification',
      reportId: n.reportId,
      attempts: 1,
      providerMessageId: `provider-${n.notificationId}`,
      holdsRecipient: false,
    });
    expect(await rawDeliveries()).not.toContain(ADDRESS);
    expect(lines.join('\n')).not.toContain(ADDRESS);
  });

  it('retries a provider that is down with backoff until it is up, then sends once', async () => {
    const channel = freshChannel();
    const m = message(channel);
    await outbox.enqueue(m);
    let calls = 0;
    const w = worker(
      channel,
      async () => {
        calls++;
        if (calls < 3) throw new Error('connect ECONNREFUSED 127.0.0.1:25');
        return 'accepted-1';
      },
      // Long enough that the first wait is measurable, short enough to keep the test quick.
      { retryBaseMs: 200, retryMaxMs: 400 },
    );

    expect(await w.runOnce()).toBe(1);
    expect(await outbox.find(m.deliveryId)).toMatchObject({
      status: 'pending',
      attempts: 1,
      lastError: 'Error: connect ECONNREFUSED 127.0.0.1:25',
      holdsRecipient: true,
    });
    const [wait] = (await store.db.query(
      'SELECT next_attempt_at > now() AS later FROM channel_delivery WHERE delivery_id = $1',
      [m.deliveryId],
    )) as Array<{ later: boolean }>;
    expect(wait?.later).toBe(true);
    expect(await w.runOnce()).toBe(0);

    w.start();
    running.push(w);
    await eventually(async () => expect(await outbox.find(m.deliveryId)).toMatchObject({ status: 'sent' }));
    expect(calls).toBe(3);
    expect(await outbox.find(m.deliveryId)).toMatchObject({
      status: 'sent',
      attempts: 3,
      lastError: null,
      providerMessageId: 'accepted-1',
      holdsRecipient: false,
    });
    expect(outcomes.filter((o) => o.deliveryId === m.deliveryId)).toEqual([
      expect.objectContaining({ status: 'sent', reportId: m.reportId, channel, kind: 'notification' }),
    ]);
  });

  it('marks a permanent refusal failed with its reason and tells the outcome listener', async () => {
    const channel = freshChannel();
    const m = message(channel);
    await outbox.enqueue(m);
    let calls = 0;
    const w = worker(channel, async () => {
      calls++;
      throw new PermanentError('RECIPIENT_REFUSED', 'mailbox does not exist');
    });
    expect(await w.runOnce()).toBe(1);
    expect(await w.runOnce()).toBe(0);
    expect(calls).toBe(1);
    const reason = 'PermanentError: mailbox does not exist';
    expect(await outbox.find(m.deliveryId)).toMatchObject({
      status: 'failed',
      attempts: 1,
      lastError: reason,
      holdsRecipient: false,
    });
    expect(outcomes.filter((o) => o.deliveryId === m.deliveryId)).toEqual([
      expect.objectContaining({ status: 'failed', reason, reportId: m.reportId, channel }),
    ]);
  });

  it('never sends one message twice when two workers share the table', async () => {
    const channel = freshChannel();
    const messages = Array.from({ length: 40 }, () => message(channel));
    for (const m of messages) await outbox.enqueue(m);
    const sends = new Map<string, number>();
    const byWorker = { a: 0, b: 0 };
    const sender =
      (name: keyof typeof byWorker): OutboundSender =>
      async (request) => {
        byWorker[name]++;
        sends.set(request.deliveryId, (sends.get(request.deliveryId) ?? 0) + 1);
        // A provider call takes a while; the other worker claims meanwhile.
        await sleep(5);
        return `${name}-${request.deliveryId}`;
      };
    const a = worker(channel, sender('a'), { batchSize: 5 });
    const b = worker(channel, sender('b'), { batchSize: 5 });
    const drain = async (w: OutboxWorker) => {
      while ((await w.runOnce()) > 0);
    };
    await Promise.all([drain(a), drain(b)]);

    expect(sends.size).toBe(messages.length);
    expect([...sends.values()].every((count) => count === 1)).toBe(true);
    expect(byWorker.a + byWorker.b).toBe(messages.length);
    expect(byWorker.a).toBeGreaterThan(0);
    expect(byWorker.b).toBeGreaterThan(0);
    const [{ count }] = (await store.db.query(
      `SELECT count(*)::int AS count FROM channel_delivery WHERE channel = $1 AND status = 'sent'`,
      [channel],
    )) as [{ count: number }];
    expect(count).toBe(messages.length);
  });

  it('sends again a message whose worker died mid-send, once its lease ran out', async () => {
    const channel = freshChannel();
    const m = message(channel);
    await outbox.enqueue(m);
    const leaseMs = 500;
    const calls: string[] = [];
    // The first worker's provider call never returns: what a process killed mid-send leaves.
    const dead = worker(channel, () => new Promise<string>(() => calls.push('dead')), { leaseMs });
    void dead.runOnce();
    await eventually(async () =>
      expect(await outbox.find(m.deliveryId)).toMatchObject({ status: 'sending' }),
    );

    const next = worker(
      channel,
      async () => {
        calls.push('next');
        return 'resent-1';
      },
      { leaseMs },
    );
    // While the lease lasts the claim is respected.
    expect(await next.runOnce()).toBe(0);
    await sleep(leaseMs + 200);
    expect(await next.runOnce()).toBe(1);
    expect(calls).toEqual(['dead', 'next']);
    expect(await outbox.find(m.deliveryId)).toMatchObject({
      status: 'sent',
      attempts: 2,
      providerMessageId: 'resent-1',
      holdsRecipient: false,
    });
  });

  it('records receipts: a failed one is reported, and read is never downgraded to delivered', async () => {
    const channel = freshChannel();
    const refused = message(channel);
    const seen = message(channel);
    await outbox.enqueue(refused);
    await outbox.enqueue(seen);
    const w = worker(channel, async (request) => `wamid-${request.deliveryId}`);
    expect(await w.runOnce()).toBe(2);

    const failed = await outbox.recordReceipt(
      channel,
      `wamid-${refused.deliveryId}`,
      'failed',
      'number is not on WhatsApp',
    );
    expect(failed).toMatchObject({
      deliveryId: refused.deliveryId,
      status: 'sent',
      receipt: 'failed',
      receiptError: 'number is not on WhatsApp',
    });
    expect(outcomes.filter((o) => o.deliveryId === refused.deliveryId)).toEqual([
      expect.objectContaining({ status: 'sent' }),
      expect.objectContaining({
        status: 'failed',
        reason: 'number is not on WhatsApp',
        reportId: refused.reportId,
        channel,
        kind: 'notification',
      }),
    ]);

    expect(await outbox.recordReceipt(channel, `wamid-${seen.deliveryId}`, 'read')).toMatchObject({
      receipt: 'read',
    });
    // Receipts arrive out of order; the late "delivered" tells nothing new.
    expect(await outbox.recordReceipt(channel, `wamid-${seen.deliveryId}`, 'delivered')).toBeNull();
    expect(await outbox.find(seen.deliveryId)).toMatchObject({ receipt: 'read' });
    expect(outcomes.filter((o) => o.deliveryId === seen.deliveryId).map((o) => o.status)).toEqual([
      'sent',
      'read',
    ]);
    expect(await outbox.recordReceipt(channel, 'wamid-unknown', 'delivered')).toBeNull();
  });

  it("answers only on the adapter's own record: an address a notification names is never written to", async () => {
    const channel = freshChannel();
    const groupId = `reply-${uniqueSuffix()}`;
    await startQueue(channel, groupId);
    const own = notification(channel, { recipient: { address: 'named@example.id' } });
    await store.conversations.open({
      channel,
      address: '+62 812 3456 7890',
      reportId: own.reportId,
      trackingCode: own.trackingCode,
      replyTo: { address: 'chat-4242', thread: 'thread-7' },
    });
    const nowhere = notification(channel);
    // Forged on the bus: a report the adapter never opened, addressed to someone of the forger's choosing.
    const forged = notification(channel, {
      recipient: { address: '+6289900000000' },
      message: 'Klik tautan ini',
    });
    const marker = await forOpenedReport(channel);
    await bus.publish('aduan.notification.v1', own);
    await bus.publish('aduan.notification.v1', nowhere);
    await bus.publish('aduan.notification.v1', forged);
    await bus.publish('aduan.notification.v1', marker);
    await eventually(async () => expect(await outbox.find(marker.notificationId)).not.toBeNull());

    expect(await outbox.find(nowhere.notificationId)).toBeNull();
    expect(await outbox.find(forged.notificationId)).toBeNull();
    for (const skipped of [nowhere, forged])
      expect(
        lines.some(
          (l) => l.includes(skipped.notificationId) && l.includes("no record of this report's citizen"),
        ),
      ).toBe(true);
    // Skipped, not stuck: the group's committed position is past all four.
    const topic = `${prefix}aduan.notification.v1`;
    const end = await bus.adminClient.fetchTopicOffsets(topic);
    await eventually(async () => {
      const [committed] = await bus.adminClient.fetchOffsets({
        groupId: `${prefix}${groupId}`,
        topics: [topic],
      });
      expect(committed?.partitions[0]?.offset).toBe(end[0]?.high);
    });

    const sent: SendRequest[] = [];
    const w = worker(channel, async (request) => void sent.push(request));
    expect(await w.runOnce()).toBe(2);
    expect(sent.map((r) => r.to.address)).not.toContain('+6289900000000');
    expect(sent.find((r) => r.deliveryId === own.notificationId)?.to).toEqual({
      address: 'chat-4242',
      thread: 'thread-7',
    });
    expect(sent.find((r) => r.deliveryId === marker.notificationId)?.to).toEqual({ address: ADDRESS });
    expect(await rawDeliveries()).not.toMatch(/chat-4242|named@example\.id/);
    expect(JSON.stringify(await store.db.query('SELECT * FROM channel_conversation'))).not.toContain(
      'chat-4242',
    );
  });

  it('keeps conversations by hashed address: a window for follow-ups, thread keys, and no address in clear', async () => {
    const c = store.conversations;
    const reportId = reportIdFor('whatsapp', randomUUID());
    await c.open({
      channel: 'whatsapp',
      address: '+62 812 3456 7890',
      reportId,
      trackingCode: 'ABCDE-FGHJK',
      thread: { wamid: 'w1' },
    });
    expect(await c.findOpen('whatsapp', '+6281234567890', { withinMs: 60_000 })).toMatchObject({
      reportId,
      thread: { wamid: 'w1' },
    });
    expect(
      await c.findOpen('whatsapp', '+6281234567890', {
        withinMs: 60_000,
        now: new Date(Date.now() + 120_000),
      }),
    ).toBeNull();
    expect(await c.findOpen('sms', '+6281234567890')).toBeNull();
    await c.linkThread('email', ['<a@x>', '<b@x>'], { reportId, trackingCode: 'ABCDE-FGHJK' });
    expect(await c.findByThread('email', ['<zzz@x>', '<b@x>'])).toEqual({
      reportId,
      trackingCode: 'ABCDE-FGHJK',
    });
    const dump = JSON.stringify(await store.db.query('SELECT * FROM channel_conversation'));
    // The number in any spacing; not its fragments, which a random report id can hold by chance.
    expect(dump).not.toMatch(/812[\s-]?3456[\s-]?7890/);
    expect(lines.join('\n')).not.toMatch(/warga@example\.id|6281234567890/);
  });

  it('publishes a follow-up from its stored row: a re-read message republishes the first recording, same id', async () => {
    const followUps = new FollowUpIntake(bus, store.conversations, SECRET);
    await bus.ensureTopics(['aduan.complaint.followup.v1']);
    const seen = await collectEvents(bus, 'aduan.complaint.followup.v1');
    const reportId = reportIdFor('whatsapp', randomUUID());
    const sourceId = `wamid.${randomUUID()}`;
    const first = await followUps.submit({
      channel: 'whatsapp',
      sourceId,
      reportId,
      text: '  Airnya sudah masuk rumah  ',
      location: { lat: -6.1862, lon: 106.8447 },
      thread: '106540352242922',
      receivedAt: new Date('2026-01-05T03:25:00.000Z'),
    });
    expect(first).toEqual({
      followUpId: followUpIdFor('whatsapp', sourceId),
      reportId,
      trackingCode: trackingCodeFor(reportId, SECRET),
      fresh: true,
    });
    // Read again after the window moved on: still the same report, text and id.
    const again = await followUps.submit({
      channel: 'whatsapp',
      sourceId,
      reportId: reportIdFor('whatsapp', randomUUID()),
      text: 'other',
    });
    expect(again).toMatchObject({ followUpId: first.followUpId, reportId, fresh: false });

    const events = await eventually(async () => {
      if (seen.length < 2) throw new Error(`${seen.length} follow-up events`);
      return seen;
    });
    expect(events[0]).toEqual(events[1]);
    expect(events[0]).toMatchObject({
      followUpId: first.followUpId,
      reportId,
      trackingCode: first.trackingCode,
      channel: 'whatsapp',
      source: { id: sourceId, thread: '106540352242922', receivedAt: '2026-01-05T03:25:00.000Z' },
      text: 'Airnya sudah masuk rumah',
      location: { lat: -6.1862, lon: 106.8447 },
      attachments: [],
    });
    expect(await store.conversations.followUps(reportId)).toHaveLength(1);
  });
});
