import { EventBus } from '@aduan/bus';
import { runChannel, trackingCodeFor, type RunningChannel } from '@aduan/channel-sdk';
import type { ComplaintFollowUp, ComplaintReceived } from '@aduan/contracts';
import {
  capturedLogger,
  collectEvents,
  createTestDatabase,
  eventually,
  publicReportView,
  stateOnlyReportView,
  statusApiStandIn,
  testEnv,
  uniqueTopicPrefix,
  type StatusApiStandIn,
  type TestDatabase,
} from '@aduan/testing';
import { telegram } from '../src/telegram';
import { botApi, chatOf, postUpdate, SECRET, TOKEN, textUpdate, type BotApi } from './bot-api-stand-in';

const TRACKING = 'https://aduan.example/lacak/{code}';
const code = (n: string) => trackingCodeFor(`telegram-check-${n}`, 'any-secret');
const quietly = () => new Promise((r) => setTimeout(r, 600));

/** "cek <code>" on Telegram (ADR 0049): the sender is told where the report stands, nothing is filed. */
describe('channel-telegram: checking a report by message', () => {
  const prefix = uniqueTopicPrefix();
  const { logger, lines } = capturedLogger('channel-telegram');
  let db: TestDatabase;
  let api: BotApi;
  let status: StatusApiStandIn;
  let service: RunningChannel;
  let bus: EventBus;
  let received: ComplaintReceived[];
  let followUps: ComplaintFollowUp[];

  beforeAll(async () => {
    [db, api, status] = await Promise.all([
      createTestDatabase('telegram_check'),
      botApi(),
      statusApiStandIn(),
    ]);
    service = await runChannel(
      telegram,
      {
        TELEGRAM_PORT: '0',
        TELEGRAM_BOT_TOKEN: TOKEN,
        TELEGRAM_WEBHOOK_SECRET: SECRET,
        TELEGRAM_API_BASE_URL: api.url,
        STATUS_BASE_URL: status.url,
        STATUS_CHECKS_PER_HOUR: '3',
        PUBLIC_TRACKING_URL: TRACKING,
        DATABASE_URL: db.url,
        KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
        KAFKA_TOPIC_PREFIX: prefix,
      },
      logger,
    );
    bus = new EventBus({
      brokers: testEnv.kafkaBrokers,
      clientId: 'telegram-check-test',
      source: '/test',
      logger,
      topicPrefix: prefix,
    });
    await bus.connect();
    received = await collectEvents(bus, 'aduan.complaint.received.v1');
    followUps = await collectEvents(bus, 'aduan.complaint.followup.v1');
  });

  afterAll(async () => {
    await service?.stop();
    await bus?.close();
    await Promise.all([api?.close(), status?.close()]);
    await db?.drop();
  });

  async function send(id: string, text: string, chat = chatOf(id)): Promise<void> {
    expect(await postUpdate(service.port, textUpdate(id, text, chat))).toBe(200);
  }
  const answersTo = (chat: number) => api.sent().filter((m) => m.to === String(chat));
  const oneAnswer = (chat: number) =>
    eventually(() => {
      const answers = answersTo(chat);
      expect(answers).toHaveLength(1);
      return answers[0]!.text;
    });

  it('answers "cek <code>" with the state, the unit and the last public note, once, and files nothing', async () => {
    const tracking = code('a');
    status.show(publicReportView(tracking, 'Tim menambal lubang besok pagi'));
    const typed = `CEK ${tracking.toLowerCase().replace('-', ' ')}`;
    await send('check1', typed);
    await send('check1', typed); // Telegram delivers again when it missed our 200
    const text = await oneAnswer(chatOf('check1'));
    expect(text).toContain(`Status laporan ${tracking}: Proses`);
    expect(text).toContain('Suku Dinas Bina Marga Kota Administrasi Jakarta Selatan');
    expect(text).toContain('Catatan terakhir: Tim menambal lubang besok pagi');
    expect(text).toContain(`https://aduan.example/lacak/${tracking}`);
    expect(text).not.toContain('Diteruskan ke Suku Dinas'); // an older note
    expect(text).not.toContain('Jalan berlubang'); // the description stays on the page
    await quietly();
    expect(answersTo(chatOf('check1'))).toHaveLength(1);
    expect(received).toEqual([]);
    expect(followUps).toEqual([]);
    for (const line of lines) expect(line).not.toContain(String(chatOf('check1')));
  });

  it('answers an unknown code and a mistyped one with the same neutral sentence', async () => {
    await send('unknown1', `status ${code('nobody')}`);
    await send('typo1', 'cek ABCDE-FGHJ0');
    const unknown = await oneAnswer(chatOf('unknown1'));
    const typo = await oneAnswer(chatOf('typo1'));
    expect(unknown).toBe(typo);
    expect(unknown).toContain('tidak dapat kami tampilkan');
    expect(unknown).not.toMatch(/[2-9A-HJKMNP-TV-Z]{5}-[2-9A-HJKMNP-TV-Z]{5}/);
    expect(received).toEqual([]);
  });

  it('tells only the state of a private report, and nothing of a confidential one', async () => {
    const privateCode = code('private');
    status.show(stateOnlyReportView(privateCode));
    await send('private1', `cek ${privateCode}`);
    const text = await oneAnswer(chatOf('private1'));
    expect(text).toContain(`Status laporan ${privateCode}: Selesai`);
    expect(text).not.toMatch(/Ditangani|Catatan|Handled by/);
    // The status service shows a confidential report to nobody: the answer is the unknown code's.
    await send('confidential1', `cek ${code('confidential')}`);
    expect(await oneAnswer(chatOf('confidential1'))).toContain('tidak dapat kami tampilkan');
  });

  it('keeps the answer while the status service is away, and sends it when it is back', async () => {
    const tracking = code('outage');
    status.show(publicReportView(tracking, 'Material sudah dipesan'));
    status.up = false;
    const before = status.lookups();
    await send('outage1', `cek ${tracking}`);
    await eventually(() => expect(status.lookups()).toBeGreaterThan(before + 1)); // tried, and again
    expect(answersTo(chatOf('outage1'))).toEqual([]); // never "not found" for an outage
    status.up = true;
    const text = await oneAnswer(chatOf('outage1'));
    expect(text).toContain('Catatan terakhir: Material sudah dipesan');
  }, 30_000);

  it('answers a sender a few checks an hour, says so once, then stays quiet', async () => {
    const chat = chatOf('walker');
    for (let i = 0; i < 6; i++) await send(`walk${i}`, `cek ${code(`walk-${i}`)}`, chat);
    await eventually(() => expect(answersTo(chat)).toHaveLength(4));
    await quietly();
    const answers = answersTo(chat).map((m) => m.text);
    expect(answers).toHaveLength(4);
    expect(answers.filter((t) => t.includes('terlalu sering'))).toHaveLength(1);
    // Operators see someone trying codes.
    const metrics = await (await fetch(`http://127.0.0.1:${service.port}/metrics`)).text();
    expect(metrics).toMatch(
      /aduan_channel_status_checks_total\{channel="telegram",outcome="limited"[^}]*\} 1\b/,
    );
    expect(metrics).toMatch(
      /aduan_channel_status_checks_total\{channel="telegram",outcome="ignored"[^}]*\} 2\b/,
    );
    // Another sender is not held back by this one.
    await send('other1', `cek ${code('walk-0')}`);
    expect(await oneAnswer(chatOf('other1'))).toContain('tidak dapat kami tampilkan');
  });

  it('still takes a complaint that merely starts with "cek"', async () => {
    await send('complaint1', 'cek jalan rusak di depan pasar, lubangnya dalam');
    await eventually(() => expect(received).toHaveLength(1));
    expect(await oneAnswer(chatOf('complaint1'))).toContain('Nomor laporan');
  });
});
