import type { ComplaintReceived } from '@aduan/contracts';
import {
  collectEvents,
  eventually,
  startRecordingServer,
  startServiceProcess,
  testEnv,
  type RecordingServer,
  type ServiceProcess,
} from '@aduan/testing';
import type { Page } from 'playwright-core';
import { ADMIN, screenshot, startStack, type Stack } from './support/stack';

const TOKEN = '424242:console-ask-reporter-bot-token';
const SECRET = 'console-ask-reporter-webhook-secret';
const CHAT = 612_345_678;

/** Telegram's Bot API sendMessage as the adapter calls it (core.telegram.org/bots/api#sendmessage). */
async function botApi(): Promise<RecordingServer> {
  let nextId = 9000;
  return startRecordingServer((req) =>
    req.path === `/bot${TOKEN}/sendMessage`
      ? { status: 200, body: { ok: true, result: { message_id: nextId++, date: 0, chat: { id: CHAT } } } }
      : { status: 404, body: { ok: false, error_code: 404, description: 'Not Found' } },
  );
}

/** A private chat's message, as Telegram posts it to the adapter's webhook. */
function update(messageId: number, text: string, replyTo?: number) {
  const person = { first_name: 'Dewi', last_name: 'Lestari', username: 'dewi_l' };
  return {
    update_id: messageId,
    message: {
      message_id: messageId,
      from: { id: CHAT, is_bot: false, ...person },
      chat: { id: CHAT, ...person, type: 'private' },
      date: Math.floor(Date.now() / 1000),
      text,
      ...(replyTo ? { reply_to_message: { message_id: replyTo } } : {}),
    },
  };
}

/**
 * "Ask for details" from the console reaches the citizen on their own channel — the status
 * service, the real Telegram adapter process and a local Bot API — and their reply appears on the
 * report, next to the question (ADR 0074).
 */
describe('officer console: asking the reporter for details', () => {
  let stack: Stack;
  let api: RecordingServer;
  let telegram: ServiceProcess;
  let received: ComplaintReceived[];
  let page: Page;

  beforeAll(async () => {
    [stack, api] = await Promise.all([startStack('web_console_ask_reporter'), botApi()]);
    received = await collectEvents(stack.seeder.bus, 'aduan.complaint.received.v1');
    telegram = await startServiceProcess('channel-telegram', {
      TELEGRAM_PORT: '0',
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      TELEGRAM_API_BASE_URL: api.url,
      DATABASE_URL: stack.databaseUrl,
      KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: stack.topicPrefix,
      LOG_LEVEL: 'info',
    });
    page = await stack.browser.newPage({ viewport: { width: 1366, height: 900 }, locale: 'id-ID' });
  }, 120_000);
  afterAll(async () => {
    await page?.close();
    await telegram?.stop();
    await stack?.stop();
    await api?.close();
  });

  async function write(messageId: number, text: string, replyTo?: number): Promise<void> {
    const res = await fetch(`${new URL(telegram.url).origin}/webhooks/telegram`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Telegram-Bot-Api-Secret-Token': SECRET },
      body: JSON.stringify(update(messageId, text, replyTo)),
    });
    expect(res.status).toBe(200);
  }
  const toChat = () =>
    api.requests
      .filter((r) => r.path.endsWith('/sendMessage'))
      .map((r) => r.body as { chat_id: string; text: string; parse_mode?: string });

  it('sends the question to the reporter on Telegram, and shows their answer under it', async () => {
    await write(101, 'Lampu penerangan jalan di gang Kenari mati sejak seminggu, gelap sekali malam hari');
    const report = await eventually(
      () => {
        const event = received.find((e) => e.channel === 'telegram');
        expect(event).toBeDefined();
        return event!;
      },
      { timeoutMs: 30_000 },
    );

    await page.goto(`${stack.webUrl}/console/`);
    await page.getByLabel('Nama pengguna').fill(ADMIN.username);
    await page.getByLabel('Kata sandi').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Masuk' }).click();
    await page.getByRole('button', { name: 'Keluar' }).waitFor();
    await page.goto(`${stack.webUrl}/console/#/reports/${report.reportId}`);
    const contact = page.getByTestId('contact-reporter');
    await eventually(async () => expect(await contact.isVisible()).toBe(true), { timeoutMs: 30_000 });

    // Too short a question is stopped in the form, before anything is sent.
    const form = contact.locator('form[data-action="message-citizen"]');
    await form.getByLabel('Tanya pelapor').check();
    const text = form.getByLabel(/^Isi/);
    await text.fill('Di?');
    await form.getByRole('button', { name: 'Periksa' }).click();
    await form.getByText('Tulis minimal 5 huruf.').waitFor();

    // Markup is sent as typed: the Bot API call carries no parse mode, the console renders no tag.
    const question = 'Tiang lampu nomor berapa? Mohon kirim <b>foto</b> bila bisa.';
    await text.fill(question);
    await form.getByRole('button', { name: 'Periksa' }).click();
    await form.getByText('Kirim ke pelapor melalui Telegram?').waitFor();
    // The confirmation has the focus: an officer on the keyboard sends with Enter.
    await page.keyboard.press('Enter');
    await eventually(async () =>
      expect(await page.getByTestId('flash-success').textContent()).toBe(
        'Pertanyaan dikirim ke pelapor melalui Telegram. Laporan menunggu jawabannya.',
      ),
    );
    await page.getByTestId('waiting-for-reporter').waitFor();
    const asked = page.getByTestId('officer-timeline').getByTestId('conversation-entry').first();
    await expect(asked.locator('p.note').textContent()).resolves.toBe(question);
    expect(await asked.locator('b').count()).toBe(0);

    // The adapter delivered it to the reporter's chat, framed with the report's tracking code.
    const sent = await eventually(
      () => {
        const message = toChat().find((m) => m.text.includes(question));
        expect(message).toBeDefined();
        return message!;
      },
      { timeoutMs: 30_000 },
    );
    expect(String(sent.chat_id)).toBe(String(CHAT));
    expect(sent.text).toContain(report.trackingCode);
    expect(sent.parse_mode).toBeUndefined();
    await eventually(async () => expect(await asked.locator('.who').textContent()).toContain('terkirim'), {
      timeoutMs: 20_000,
    });

    // The reporter replies in the chat; the console shows the answer under the question and stops waiting.
    await write(102, 'Tiang nomor 17, di depan musala Al-Ikhlas');
    await eventually(
      async () =>
        expect(await asked.getByTestId('conversation-answer').textContent()).toContain(
          'Tiang nomor 17, di depan musala Al-Ikhlas',
        ),
      { timeoutMs: 30_000 },
    );
    expect(await page.getByTestId('waiting-for-reporter').count()).toBe(0);
    expect(received.filter((e) => e.channel === 'telegram')).toHaveLength(1);
    await screenshot(page, 'console-ask-reporter');
  });
});
