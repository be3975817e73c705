import { PermanentError } from '@aduan/bus';
import {
  capturedLogger,
  createTestDatabase,
  publicReportView,
  statusApiStandIn,
  type StatusApiStandIn,
  type TestDatabase,
} from '@aduan/testing';
import type { InboundMessage } from '../conversation/conversation-rules';
import type { ChannelMessage } from '../delivery/templates';
import { Outbox } from '../outbound/outbox';
import type { SendRequest } from '../outbound/outbox-worker';
import { Sealer } from '../outbound/sealed';
import { openChannelStore, type ChannelStore } from '../store/channel-store';
import { StatusChecks } from './status-checks';

const SECRET = 'test-secret';
const CODE = 'ABCDE-FGHJK';

/** The hourly allowance and the late writing of answers, on a real PostgreSQL. */
describe('StatusChecks', () => {
  const { logger, lines } = capturedLogger('status-checks-test');
  let database: TestDatabase;
  let store: ChannelStore;
  let outbox: Outbox;
  let status: StatusApiStandIn;

  beforeAll(async () => {
    [database, status] = await Promise.all([createTestDatabase('status_checks'), statusApiStandIn()]);
    store = await openChannelStore({ url: database.url, secret: SECRET, logger });
    outbox = new Outbox(store.db, new Sealer(SECRET));
    status.show(publicReportView(CODE, 'Sedang dikerjakan'));
  });

  afterAll(async () => {
    await store?.close();
    await status?.close();
    await database?.drop();
  });

  const checks = (perHour: number, statusBaseUrl: string | undefined = status.url) =>
    new StatusChecks({
      db: store.db,
      conversations: store.conversations,
      outbox,
      statusBaseUrl,
      perHour,
      trackingUrl: (code) => `https://aduan.example/lacak/${code}`,
      log: logger,
    });
  const message = (sourceId: string, from: string): InboundMessage => ({
    channel: 'sms',
    sourceId,
    from,
    reporter: { anonymous: false, phone: from },
    replyTo: { address: from },
    text: `cek ${CODE}`,
    receivedAt: new Date(),
  });
  /** What the sender would get: the answer as the worker writes it just before sending. */
  async function sentFor(c: StatusChecks, sourceId: string): Promise<ChannelMessage> {
    const [row] = (await store.db.query(`SELECT message FROM channel_delivery WHERE delivery_id = $1`, [
      `reply:sms:status-check:${sourceId}`,
    ])) as Array<{ message: ChannelMessage }>;
    let sent: SendRequest | undefined;
    await c.answering(async (r) => void (sent = r))(
      {
        deliveryId: sourceId,
        channel: 'sms',
        kind: 'reply',
        reportId: null,
        to: { address: 'x' },
        message: row!.message,
        lastInboundAt: null,
      },
      logger,
    );
    expect(sent!.lastInboundAt).toBeInstanceOf(Date); // a reply to what the citizen just wrote
    return sent!.message;
  }

  it('answers a sender perHour times an hour, says so once, then nothing; a redelivery ranks the same', async () => {
    const c = checks(2);
    const outcomes = [];
    for (const id of ['r1', 'r2', 'r3', 'r4', 'r2', 'r3'])
      outcomes.push(await c.answer(message(id, '+628100001'), { trackingCode: CODE }, 'short'));
    expect(outcomes).toEqual(['queued', 'queued', 'limited', 'ignored', 'queued', 'limited']);
    expect(await outbox.find('reply:sms:status-check:r4')).toBeNull();
    expect((await sentFor(c, 'r3')).text).toContain('terlalu sering');
    expect((await sentFor(c, 'r1')).text).toContain('Sedang dikerjakan');
    // Another sender has an allowance of their own; an hour later the first one has it back.
    expect(await c.answer(message('o1', '+628100002'), { trackingCode: CODE }, 'short')).toBe('queued');
    await store.db.query(`UPDATE channel_status_check SET checked_at = checked_at - interval '61 minutes'`);
    expect(await c.answer(message('r5', '+628100001'), { trackingCode: CODE }, 'short')).toBe('queued');
    // Neither the address nor the code is kept.
    const kept = JSON.stringify(await store.db.query(`SELECT * FROM channel_status_check`));
    expect(kept).not.toContain('628100001');
    expect(kept).not.toContain(CODE);
    for (const line of lines) expect(line).not.toContain('628100001');
  });

  it('fails the send, to be tried again, while the status service is away', async () => {
    const c = checks(10);
    await c.answer(message('down1', '+628100003'), { trackingCode: CODE }, 'long');
    status.up = false;
    const failure = await sentFor(c, 'down1').catch((err: unknown) => err);
    status.up = true;
    expect(failure).toBeInstanceOf(Error);
    expect(failure).not.toBeInstanceOf(PermanentError);
    expect((await sentFor(c, 'down1')).text).toContain('Catatan terakhir: Sedang dikerjakan');
  });

  it('sends the tracking link when no status service is configured', async () => {
    const c = checks(10, undefined);
    await c.answer(message('nolink1', '+628100004'), { trackingCode: CODE }, 'long');
    expect((await sentFor(c, 'nolink1')).text).toContain(`https://aduan.example/lacak/${CODE}`);
  });
});
