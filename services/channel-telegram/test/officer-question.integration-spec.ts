import { randomUUID } from 'node:crypto';
import { EventBus } from '@aduan/bus';
import { runChannel, type RunningChannel } from '@aduan/channel-sdk';
import type { ComplaintFollowUp, ComplaintReceived, Notification } from '@aduan/contracts';
import {
  capturedLogger,
  collectEvents,
  createTestDatabase,
  eventually,
  testEnv,
  uniqueTopicPrefix,
  type TestDatabase,
} from '@aduan/testing';
import { telegram } from '../src/telegram';
import { botApi, chatOf, postUpdate, SECRET, TOKEN, textUpdate, type BotApi } from './bot-api-stand-in';

const DAY = 86_400_000;

/**
 * An officer's question reaches the citizen's chat, and the citizen's next message is its answer,
 * a follow-up of the report asked about, even days after the conversation window closed (ADR 0074).
 */
describe('channel-telegram: answering an officer question', () => {
  const prefix = uniqueTopicPrefix();
  const { logger } = capturedLogger('channel-telegram');
  let db: TestDatabase;
  let api: BotApi;
  let service: RunningChannel;
  let bus: EventBus;
  let received: ComplaintReceived[];
  let followUps: ComplaintFollowUp[];

  beforeAll(async () => {
    [db, api] = await Promise.all([createTestDatabase('telegram_question'), botApi()]);
    service = await runChannel(
      telegram,
      {
        TELEGRAM_PORT: '0',
        TELEGRAM_BOT_TOKEN: TOKEN,
        TELEGRAM_WEBHOOK_SECRET: SECRET,
        TELEGRAM_API_BASE_URL: api.url,
        TELEGRAM_CONVERSATION_WINDOW_HOURS: '24',
        DATABASE_URL: db.url,
        KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
        KAFKA_TOPIC_PREFIX: prefix,
      },
      logger,
    );
    bus = new EventBus({
      brokers: testEnv.kafkaBrokers,
      clientId: 'telegram-question-test',
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
    await api?.close();
    await db?.drop();
  });

  /** A message of the chat written `ago` milliseconds before now. */
  async function write(id: string, text: string, chat: number, ago = 0): Promise<void> {
    const update = textUpdate(id, text, chat);
    update.message.date = Math.floor((Date.now() - ago) / 1000);
    expect(await postUpdate(service.port, update)).toBe(200);
  }

  /** A report the chat opened three days ago, long outside its 24-hour window. */
  async function oldReport(id: string, chat: number): Promise<ComplaintReceived> {
    await write(id, `Lampu jalan mati di gang ${id}, gelap sekali`, chat, 3 * DAY);
    return eventually(() => {
      const report = received.find((r) => r.source.id === `${chat}:${textUpdate(id, '').message.message_id}`);
      expect(report).toBeDefined();
      return report!;
    });
  }

  function notification(report: ComplaintReceived, message: string, expectsAnswer: boolean): Notification {
    return {
      notificationId: randomUUID(),
      reportId: report.reportId,
      trackingCode: report.trackingCode,
      channel: 'telegram',
      locale: 'id',
      state: 'IN_PROGRESS',
      message,
      ...(expectsAnswer ? { expectsAnswer } : {}),
    };
  }

  const toldChat = (chat: number, text: string) =>
    eventually(() =>
      expect(
        api
          .sent()
          .filter((m) => m.to === String(chat))
          .map((m) => m.text),
      ).toContain(text),
    );

  it("takes the citizen's next message as the answer, a follow-up of the report asked about", async () => {
    const chat = chatOf('asked');
    const report = await oldReport('asked', chat);
    const question = 'Pertanyaan dari petugas: tiang lampu nomor berapa?';
    await bus.publish('aduan.notification.v1', notification(report, question, true));
    await toldChat(chat, question);

    await write('answer', 'Tiang nomor 12, dekat musala', chat);
    await eventually(() =>
      expect(followUps.find((f) => f.text === 'Tiang nomor 12, dekat musala')).toMatchObject({
        reportId: report.reportId,
        trackingCode: report.trackingCode,
        channel: 'telegram',
      }),
    );
    expect(received.filter((r) => r.text.includes('Tiang nomor 12'))).toEqual([]);
  });

  it('opens a new report for a late message after plain information, which expects no answer', async () => {
    const chat = chatOf('informed');
    const report = await oldReport('informed', chat);
    const info = 'Pesan dari petugas: perbaikan dijadwalkan minggu depan.';
    await bus.publish('aduan.notification.v1', notification(report, info, false));
    await toldChat(chat, info);

    await write('newissue', 'Ada pohon tumbang menutup jalan di gang sebelah', chat);
    await eventually(() =>
      expect(received.find((r) => r.text.includes('pohon tumbang'))?.reportId).not.toBe(report.reportId),
    );
    expect(followUps.filter((f) => f.reportId === report.reportId)).toEqual([]);
  });
});
