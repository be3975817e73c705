import { randomUUID } from 'node:crypto';
import { EventBus, PermanentError } from '@aduan/bus';
import type { Notification } from '@aduan/contracts';
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
import { Kafka } from 'kafkajs';
import {
  Acknowledgements,
  DeliveryInProgress,
  FollowUpIntake,
  followUpIdFor,
  NotificationDelivery,
  openChannelStore,
  reportIdFor,
  trackingCodeFor,
  type ChannelStore,
  type NotificationSender,
} from '../src';

const SECRET = 'test-secret';

function notification(overrides: Partial<Notification> = {}): Notification {
  const reportId = reportIdFor('email', randomUUID());
  return {
    notificationId: randomUUID(),
    reportId,
    trackingCode: trackingCodeFor(reportId, SECRET),
    channel: 'email',
    recipient: { address: 'warga@example.id' },
    locale: 'id',
    state: 'IN_PROGRESS',
    message: 'Laporan Anda sedang diproses.',
    ...overrides,
  };
}

describe('delivery log and NotificationDelivery on a real Kafka and PostgreSQL', () => {
  const prefix = uniqueTopicPrefix();
  const { logger, lines } = capturedLogger('channel-sdk-test');
  let database: TestDatabase;
  let store: ChannelStore;
  let bus: EventBus;
  const running: NotificationDelivery[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('channel_sdk');
    store = await openChannelStore({ url: database.url, secret: SECRET, logger });
    bus = new EventBus({
      brokers: testEnv.kafkaBrokers,
      clientId: 'sdk-test',
      source: '/aduan/test',
      logger,
      topicPrefix: prefix,
      partitions: 1,
    });
    await bus.connect();
  });

  // Every delivery shares one log, so a consumer left running would deliver the next test's
  // notifications (correctly, once) before that test's own consumer sees them.
  afterEach(async () => {
    await Promise.all(running.splice(0).map((d) => d.stop()));
  });

  afterAll(async () => {
    const topics = (await bus.adminClient.listTopics()).filter((t) => t.startsWith(prefix));
    if (topics.length) await bus.adminClient.deleteTopics({ topics });
    await bus.close();
    await store.close();
    await database.drop();
  });

  async function startDelivery(groupId: string, send: NotificationSender): Promise<NotificationDelivery> {
    const d = new NotificationDelivery({
      bus,
      deliveries: store.deliveries,
      conversations: store.conversations,
      channels: ['email'],
      groupId,
      send,
      retryBaseMs: 20,
      retryMaxMs: 50,
      maxAttempts: 4,
    });
    await d.start();
    running.push(d);
    return d;
  }

  async function stopDelivery(d: NotificationDelivery): Promise<void> {
    await d.stop();
    running.splice(running.indexOf(d), 1);
  }

  it('sends a notification once when the same event is delivered twice, and ignores other channels', async () => {
    const sent: string[] = [];
    await startDelivery(`notify-${uniqueSuffix()}`, async (n) => {
      sent.push(n.notificationId);
      return `provider-${n.notificationId}`;
    });
    const n = notification();
    const forSms = notification({ channel: 'sms', recipient: { address: '+6281234567890' } });
    await bus.publish('aduan.notification.v1', n);
    await bus.publish('aduan.notification.v1', forSms);
    await bus.publish('aduan.notification.v1', n); // the status outbox relayed it again
    const marker = notification();
    await bus.publish('aduan.notification.v1', marker);

    await eventually(() => expect(sent).toContain(marker.notificationId));
    expect(sent.filter((id) => id === n.notificationId)).toHaveLength(1);
    expect(sent).not.toContain(forSms.notificationId);
    const record = await store.deliveries.find(n.notificationId);
    expect(record).toMatchObject({
      status: 'sent',
      channel: 'email',
      kind: 'notification',
      reportId: n.reportId,
      providerMessageId: `provider-${n.notificationId}`,
    });
  });

  it('sends nothing again when the adapter restarts after sending but before Kafka committed', async () => {
    const groupId = `restart-${uniqueSuffix()}`;
    const sent: string[] = [];
    const sender: NotificationSender = async (n) => void sent.push(n.notificationId);
    const first = await startDelivery(groupId, sender);
    const n = notification();
    await bus.publish('aduan.notification.v1', n);
    await eventually(() => expect(sent).toEqual(expect.arrayContaining([n.notificationId])));
    await stopDelivery(first);

    // What a crash right after the send leaves behind: the log says sent, Kafka's committed
    // position does not include the event. Rewind the group to reproduce exactly that.
    const admin = new Kafka({ brokers: testEnv.kafkaBrokers, clientId: 'rewind', logLevel: 0 }).admin();
    await admin.connect();
    // The bus prefixes group ids like topics.
    await admin.resetOffsets({
      groupId: `${prefix}${groupId}`,
      topic: `${prefix}aduan.notification.v1`,
      earliest: true,
    });
    await admin.disconnect();

    await startDelivery(groupId, async (x) => void sent.push(x.notificationId));
    const after = notification();
    await bus.publish('aduan.notification.v1', after);
    await eventually(() => expect(sent).toContain(after.notificationId));
    expect(sent.filter((id) => id === n.notificationId)).toHaveLength(1);
    // The redelivered event was really seen by the restarted consumer, and skipped.
    expect(
      lines.some((l) => l.includes('notification already delivered') && l.includes(n.notificationId)),
    ).toBe(true);
  });

  it('retries a provider that is down with backoff, then delivers once; a permanent refusal is dead-lettered', async () => {
    let calls = 0;
    const delivered: string[] = [];
    const refused = notification({ message: 'refused' });
    const flaky = notification({ message: 'flaky' });
    await startDelivery(`flaky-${uniqueSuffix()}`, async (n) => {
      if (n.notificationId === refused.notificationId)
        throw new PermanentError('RECIPIENT_REFUSED', 'mailbox does not exist');
      if (n.notificationId !== flaky.notificationId) return;
      calls++;
      if (calls < 3) throw new Error('connect ECONNREFUSED 127.0.0.1:25');
      delivered.push(n.notificationId);
    });
    await bus.publish('aduan.notification.v1', refused);
    await bus.publish('aduan.notification.v1', flaky);
    await eventually(() => expect(delivered).toEqual([flaky.notificationId]));
    expect(calls).toBe(3);
    expect(await store.deliveries.find(flaky.notificationId)).toMatchObject({ status: 'sent', attempts: 3 });
    expect(await store.deliveries.find(refused.notificationId)).toMatchObject({
      status: 'failed',
      attempts: 1,
    });

    const kafka = new Kafka({ brokers: testEnv.kafkaBrokers, clientId: 'dlq-reader', logLevel: 0 });
    const dlq = kafka.consumer({ groupId: `dlq-${uniqueSuffix()}` });
    const dead: string[] = [];
    await dlq.connect();
    await dlq.subscribe({ topic: `${prefix}aduan.notification.v1.dlq`, fromBeginning: true });
    await dlq.run({
      eachMessage: async ({ message }) => void dead.push(String(message.headers?.['dlq_code'])),
    });
    await eventually(() => expect(dead).toEqual(['RECIPIENT_REFUSED']));
    await dlq.disconnect();
  });

  it('keeps a send in progress from being sent twice, and retries one that was interrupted', async () => {
    const deliveryId = randomUUID();
    let release!: () => void;
    const inFlight = store.deliveries.deliver(
      { deliveryId, channel: 'email', kind: 'notification' },
      () => new Promise<void>((r) => (release = r)),
    );
    await eventually(async () =>
      expect(await store.deliveries.find(deliveryId)).toMatchObject({ status: 'sending' }),
    );
    await expect(
      store.deliveries.deliver({ deliveryId, channel: 'email', kind: 'notification' }, async () => 'second'),
    ).rejects.toBeInstanceOf(DeliveryInProgress);
    release();
    await expect(inFlight).resolves.toEqual({ status: 'sent', providerMessageId: null });

    // A worker that died mid-send leaves `sending`; once the lease is over the next one sends.
    const interrupted = randomUUID();
    await store.db.query(
      `INSERT INTO channel_delivery (delivery_id, channel, kind, status, claimed_at) VALUES ($1, 'email', 'notification', 'sending', now() - interval '1 hour')`,
      [interrupted],
    );
    await expect(
      store.deliveries.deliver(
        { deliveryId: interrupted, channel: 'email', kind: 'notification' },
        async () => 'retried',
      ),
    ).resolves.toEqual({
      status: 'sent',
      providerMessageId: 'retried',
    });
  });

  it('acknowledges a report once, in Bahasa Indonesia first and then English', async () => {
    const acks = new Acknowledgements(store.deliveries);
    const reportId = reportIdFor('email', randomUUID());
    const receipt = {
      reportId,
      trackingCode: trackingCodeFor(reportId, SECRET),
      trackingUrl: 'https://aduan.example/r/X',
    };
    const texts: string[] = [];
    const send = async (m: { subject: string; text: string }) => void texts.push(m.text);
    expect(await acks.sendOnce('email', receipt, send)).toEqual({ status: 'sent', providerMessageId: null });
    expect(await acks.sendOnce('email', receipt, send)).toEqual({ status: 'already-sent' });
    expect(texts).toHaveLength(1);
    expect(texts[0]!.indexOf('laporan Anda sudah kami terima')).toBeLessThan(
      texts[0]!.indexOf('we have received your report'),
    );
    expect(texts[0]).toContain(receipt.trackingCode);
    expect(texts[0]).toContain(receipt.trackingUrl);
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
    expect(dump).not.toMatch(/812|3456|7890/);
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
