import { hubSignature256 } from '@aduan/channel-sdk';
import { eventually } from '@aduan/testing';
import { startChannelStack, WHATSAPP_SECRET, type ChannelStack } from './channel-stack';

function mail(messageId: string, subject: string, body: string, extraHeaders: string[] = []): string {
  return [
    'From: "Andi Wijaya" <andi.w@warga.example>',
    'To: Aduan Jakarta <pengaduan@aduan.test>',
    `Subject: ${subject}`,
    `Message-ID: ${messageId}`,
    'Date: Tue, 06 Jan 2026 08:15:00 +0700',
    'MIME-Version: 1.0',
    ...extraHeaders,
    'Content-Type: text/plain; charset=utf-8',
    '',
    body.replace(/\n/g, '\r\n'),
    '',
  ].join('\r\n');
}

/** Andi's name, title, address and phone as his mails carry them, in any case. */
const ANDI = ['andi', 'wijaya', 'ketua rt', 'no. 12', '0812', '3456', 'iphone'];

describe('a complaint signed by its sender: the public page shows the complaint, officers the whole mail', () => {
  let stack: ChannelStack;
  let officerToken = '';

  beforeAll(async () => {
    stack = await startChannelStack('e2e_public_text');
    officerToken = await stack.officerToken();
  });
  afterAll(() => stack?.stop());

  /** The report a source message became, once the public page shows its description. */
  async function reportOf(sourceId: string) {
    return eventually(
      async () => {
        const event = stack.received.find((e) => e.source.id === sourceId);
        expect(event).toBeDefined();
        const res = await fetch(`${stack.statusUrl}/v1/public/reports/${event!.trackingCode}`);
        expect(res.status).toBe(200);
        const { description } = (await res.json()) as { description: string | null };
        expect(description).toEqual(expect.any(String));
        return { reportId: event!.reportId, description: description! };
      },
      { timeoutMs: 30_000 },
    );
  }

  async function officerText(reportId: string): Promise<string> {
    const res = await fetch(`${stack.statusUrl}/v1/officer/reports/${reportId}`, {
      headers: { authorization: `Bearer ${officerToken}` },
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { text: string }).text;
  }

  function expectNothingOfAndi(description: string): void {
    for (const s of ANDI) expect(description.toLowerCase()).not.toContain(s);
  }

  it('an Indonesian mail with a signature of title, address and phone', async () => {
    const id = '<lampu-pju.1@warga.example>';
    await stack.imap.append(
      mail(
        id,
        'Lampu PJU mati di Cempaka Putih',
        [
          'Yth. Bapak/Ibu petugas,',
          '',
          'Lampu PJU di Jl. Cempaka Putih Tengah mati total sejak Senin, gelap dan rawan jambret.',
          '',
          'Hormat saya,',
          '',
          'Andi Wijaya, S.T.',
          'Ketua RT 005/RW 003 Kel. Cempaka Putih Timur',
          'Jl. Cempaka Putih Tengah 17 No. 12',
          'HP.0812-3456-7890',
        ].join('\n'),
      ),
    );
    const report = await reportOf(id);
    expect(report.description).toBe(
      'Yth. Bapak/Ibu petugas,\n\nLampu PJU di Jl. Cempaka Putih Tengah mati total sejak Senin, gelap dan rawan jambret.',
    );
    expectNothingOfAndi(report.description);
    const full = await officerText(report.reportId);
    expect(full).toContain('Hormat saya,\n\nAndi Wijaya, S.T.\nKetua RT 005/RW 003');
  });

  it('an English mail from a phone that quotes the acknowledgement it answers', async () => {
    const id = '<garbage.2@warga.example>';
    await stack.imap.append(
      mail(
        id,
        'Re: Laporan diterima / Report received',
        [
          'Garbage at the corner of Jl. Sabang and Jl. Wahid Hasyim is still not collected.',
          '',
          'Thanks,',
          'Andi',
          '',
          'Sent from my iPhone',
          '',
          'On 5 Jan 2026, at 10:22, Aduan Jakarta <pengaduan@aduan.test> wrote:',
          '> Terima kasih, laporan Anda sudah kami terima.',
          '> Nomor laporan: ABCDE-FGHJK',
        ].join('\n'),
        ['In-Reply-To: <ack-from-before-this-mailbox@aduan.test>'],
      ),
    );
    const report = await reportOf(id);
    expect(report.description).toBe(
      'Garbage at the corner of Jl. Sabang and Jl. Wahid Hasyim is still not collected.',
    );
    expectNothingOfAndi(report.description);
    expect(await officerText(report.reportId)).toContain('Thanks,\nAndi\n\nSent from my iPhone');
  });

  it('a WhatsApp message signed with the profile name, which also names its sender', async () => {
    const body = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '1234567890987654321',
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '6281100001708', phone_number_id: '1122334455667' },
                contacts: [{ profile: { name: 'Budi Santoso' }, wa_id: '6281298765432' }],
                messages: [
                  {
                    from: '6281298765432',
                    id: 'wamid.public-text-1',
                    timestamp: '1767662100',
                    type: 'text',
                    text: {
                      body: 'Selamat pagi, saya Budi Santoso dari Gg. Kenari. Got mampet depan rumah, air meluap ke jalan.\nMakasih\n- Budi',
                    },
                  },
                ],
              },
            },
          ],
        },
      ],
    });
    const res = await fetch(`${stack.whatsappUrl}/webhooks/whatsapp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hub-signature-256': hubSignature256(body, WHATSAPP_SECRET),
      },
      body,
    });
    expect(res.status).toBe(200);

    const report = await reportOf('wamid.public-text-1');
    expect(report.description).toBe(
      'Selamat pagi, saya [name] dari Gg. Kenari. Got mampet depan rumah, air meluap ke jalan.',
    );
    expect(await officerText(report.reportId)).toContain('saya Budi Santoso dari Gg. Kenari');
  });

  it('writes none of the names to any log', () => {
    expect(stack.lines.join('\n')).not.toMatch(/Wijaya|Santoso/);
  });
});
