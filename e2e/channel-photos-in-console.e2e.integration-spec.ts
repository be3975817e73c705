import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hubSignature256 } from '@aduan/channel-sdk';
import { eventually } from '@aduan/testing';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { launchChromium } from '../services/web/test/support/browser';
import { ADMIN, startChannelStack, WHATSAPP_SECRET, type ChannelStack } from './channel-stack';

/** A mail with a photo attached, as a phone's mail app sends it. */
function mailWithPhoto(messageId: string, jpeg: Buffer): string {
  return [
    'From: "Rina" <rina@warga.example>',
    'To: Aduan Jakarta <pengaduan@aduan.test>',
    'Subject: Trotoar amblas di Jl. Kramat Raya',
    `Message-ID: ${messageId}`,
    'Date: Tue, 06 Jan 2026 08:15:00 +0700',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Trotoar amblas sekitar satu meter, berbahaya untuk pejalan kaki. Foto terlampir.',
    '--b1',
    'Content-Type: image/jpeg; name="trotoar.jpg"',
    'Content-Disposition: attachment; filename="trotoar.jpg"',
    'Content-Transfer-Encoding: base64',
    '',
    jpeg.toString('base64'),
    '--b1--',
    '',
  ].join('\r\n');
}

describe("the officer console shows e-mail and WhatsApp photos inline, from the channels' media store", () => {
  let stack: ChannelStack;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startChannelStack('e2e_photos', { web: true }), launchChromium()]);
    page = await browser.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  async function reportIdOf(sourceId: string): Promise<string> {
    return eventually(
      () => {
        const event = stack.received.find((e) => e.source.id === sourceId);
        expect(event?.attachments).toHaveLength(1);
        return event!.reportId;
      },
      { timeoutMs: 30_000 },
    );
  }

  /** Opens the report in the console and waits until its photo is drawn, not just linked. */
  async function photoShown(reportId: string): Promise<{ width: number; height: number }> {
    await page.goto(`${stack.webUrl}/console/#/reports/${reportId}`);
    const photo = page.locator('.photo img').first();
    return eventually(
      async () => {
        // Photos load lazily: one below the fold is drawn once the officer scrolls to it.
        await photo.scrollIntoViewIfNeeded();
        const size = await photo.evaluate(
          (img: { naturalWidth: number; naturalHeight: number; src: string }) => ({
            width: img.naturalWidth,
            height: img.naturalHeight,
            src: img.src,
          }),
        );
        expect(size.src).toMatch(/^blob:/);
        expect(size.width).toBeGreaterThan(0);
        return size;
      },
      { timeoutMs: 20_000 },
    );
  }

  it('draws the photo of an e-mail and of a WhatsApp message in the report detail', async () => {
    // E-mail: a photo attached to a mail in the city's mailbox.
    const jpeg = await sharp({ create: { width: 48, height: 36, channels: 3, background: '#a04000' } })
      .jpeg()
      .toBuffer();
    const mailId = `<photo-${Date.now()}@warga.example>`;
    await stack.imap.append(mailWithPhoto(mailId, jpeg));
    const mailReport = await reportIdOf(mailId);

    // WhatsApp: an image message; the adapter downloads it from Meta with its token.
    const wamid = `wamid.photo${Date.now()}`;
    const body = Buffer.from(
      readFileSync(join(__dirname, '../services/channel-whatsapp/test/fixtures/whatsapp-image.json'), 'utf8')
        .replaceAll('wamid.xyzxyz', wamid)
        .replaceAll('972987654321', '6281298765432'),
    );
    const res = await fetch(`${stack.whatsappUrl}/webhooks/whatsapp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hub-signature-256': hubSignature256(body, WHATSAPP_SECRET),
      },
      body,
    });
    expect(res.status).toBe(200);
    const whatsappReport = await reportIdOf(wamid);

    // The console, signed in as a CRM admin.
    await page.goto(`${stack.webUrl}/console/`);
    await page.getByLabel('Nama pengguna').fill(ADMIN.username);
    await page.getByLabel('Kata sandi').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Masuk' }).click();
    await page.getByRole('button', { name: 'Keluar' }).waitFor();

    await eventually(
      async () =>
        expect(await photoShown(mailReport)).toEqual(expect.objectContaining({ width: 48, height: 36 })),
      { timeoutMs: 30_000 },
    );
    await eventually(
      async () =>
        expect(await photoShown(whatsappReport)).toEqual(expect.objectContaining({ width: 32, height: 24 })),
      { timeoutMs: 30_000 },
    );
  });
});
