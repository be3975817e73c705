import { randomBytes, randomUUID } from 'node:crypto';
import type { ComplaintReceived } from '@aduan/contracts';
import { openDatabase } from '@aduan/persistence';
import { capturedLogger, createTestDatabase, eventually } from '@aduan/testing';
import type { StatusService } from '../src/app';
import { statusMigrations } from '../src/database/migrations';
import { IdentityVault } from '../src/vault/identity-vault';
import { ADMIN, createStack, OfficerClient, receivedEvent, start, TestClock, type Stack } from './harness';

const ANDI = { name: 'Andi Wijaya', email: 'andi.w@contoh.example', anonymous: false };

const INDONESIAN_MAIL = [
  'Selamat siang,',
  '',
  'Saya ingin melaporkan jalan berlubang di Jl. Kenari II dekat SDN Kenari 01. Lubangnya sudah',
  'dua minggu dan kemarin ada pengendara motor yang jatuh.',
  '',
  'Terima kasih,',
  'Andi',
].join('\n');

const SIGNED_MAIL = [
  'Yth. Bapak/Ibu petugas,',
  '',
  'Lampu PJU di Jl. Cempaka Putih Tengah mati total sejak Senin, gelap dan rawan jambret.',
  '',
  'Hormat saya,',
  '',
  'Ir. Andi Wijaya, M.T.',
  'Ketua RT 005/RW 003 Kel. Cempaka Putih Timur',
  'Jl. Cempaka Putih Tengah 17 No. 12, Jakarta Pusat 10510',
  'HP.0812-3456-7890',
].join('\n');

const ENGLISH_MAIL_FROM_A_PHONE = [
  'Hi,',
  '',
  'Garbage has not been collected at the corner of Jl. Sabang and Jl. Wahid Hasyim for four days.',
  '',
  'Kind regards,',
  'Andi Wijaya',
  'Facilities Coordinator, PT Sabang Makmur',
  'Menara Sabang Lt. 5, Jl. H. Agus Salim 12',
  '',
  'Sent from my iPhone',
].join('\n');

const REPLY_QUOTING_THE_ACKNOWLEDGEMENT = [
  'Sampai hari ini belum ada petugas yang datang, lubangnya makin besar.',
  '',
  '________________________________',
  'Dari: Aduan Jakarta <pengaduan@aduan.test>',
  'Dikirim: Senin, 5 Januari 2026 10.22',
  'Kepada: Andi Wijaya <andi.w@contoh.example>',
  'Perihal: Laporan diterima / Report received: ABCDE-FGHJK',
  '',
  'Terima kasih, laporan Anda sudah kami terima.',
  'Nomor laporan: ABCDE-FGHJK',
].join('\n');

/** What of Andi, beyond his complaint, the mails above hold. */
const ANDI_SECRETS = [
  'Andi',
  'Wijaya',
  'Ketua',
  'RT 005',
  'No. 12',
  '0812',
  'Coordinator',
  'Menara',
  'iPhone',
];

type PublicView = { description: string | null };
type OfficerDetail = { text: string | null };

describe('the public description: what anyone may read of a complaint, against real Postgres and Kafka', () => {
  const { logger, lines } = capturedLogger('status');
  let stack: Stack;
  let service: StatusService & { base: string };
  let admin: OfficerClient;

  beforeAll(async () => {
    stack = await createStack('status_public_text', logger);
    service = await start(stack, logger, new TestClock(new Date('2026-01-05T04:00:00Z')));
    admin = await OfficerClient.signIn(service.base, ADMIN.username, ADMIN.password);
  });

  afterAll(async () => {
    await service?.stop();
    await stack?.close();
  });

  async function intake(over: Partial<ComplaintReceived>): Promise<ComplaintReceived> {
    const received = receivedEvent(over);
    await stack.bus.publish('aduan.complaint.received.v1', received);
    return received;
  }

  async function publicDescription(trackingCode: string): Promise<string> {
    return eventually(async () => {
      const res = await fetch(`${service.base}/v1/public/reports/${trackingCode}`);
      expect(res.status).toBe(200);
      const { description } = (await res.json()) as PublicView;
      expect(description).toEqual(expect.any(String));
      return description!;
    });
  }

  async function officerText(reportId: string): Promise<string> {
    const res = await admin.get<OfficerDetail>(`/v1/officer/reports/${reportId}`);
    expect(res.status).toBe(200);
    return res.body.text!;
  }

  function expectNoneOf(text: string, secrets: string[]): void {
    for (const s of secrets) expect(text.toLowerCase()).not.toContain(s.toLowerCase());
  }

  it.each([
    ['an Indonesian e-mail signed after "Terima kasih"', INDONESIAN_MAIL, 'Terima kasih,\nAndi'],
    ['an e-mail with a signature of title, address and phone', SIGNED_MAIL, 'Ketua RT 005/RW 003'],
    [
      'an English e-mail with a signature and a mobile footer',
      ENGLISH_MAIL_FROM_A_PHONE,
      'Sent from my iPhone',
    ],
    ['a reply quoting the acknowledgement', REPLY_QUOTING_THE_ACKNOWLEDGEMENT, 'Kepada: Andi Wijaya'],
  ])(
    '%s shows the complaint and nothing of the sender; officers keep the full text',
    async (_, text, signed) => {
      const received = await intake({ channel: 'email', reporter: ANDI, text, location: undefined });
      const complaint = text.split('\n\n').find((p) => /Jl\.|petugas yang datang/.test(p))!;

      const description = await publicDescription(received.trackingCode);
      expect(description).toContain(complaint);
      expectNoneOf(description, ANDI_SECRETS);

      const full = await officerText(received.reportId);
      expect(full).toContain(complaint);
      expect(full).toContain(signed);
    },
  );

  it('masks a WhatsApp profile name the sender signs with and names themselves by', async () => {
    const received = await intake({
      channel: 'whatsapp',
      reporter: { name: 'Budi Santoso', phone: '+6281298765432', anonymous: false },
      text: 'Selamat pagi, saya Budi Santoso dari Gg. Kenari. Got mampet depan rumah, air meluap ke jalan. Hub HP0812 9876 5432\n- Budi',
    });

    expect(await publicDescription(received.trackingCode)).toBe(
      'Selamat pagi, saya [name] dari Gg. Kenari. Got mampet depan rumah, air meluap ke jalan. Hub HP[phone]',
    );
    expect(await officerText(received.reportId)).toContain('saya Budi Santoso dari Gg. Kenari');
  });

  it('masks the social handle a complaint repeats', async () => {
    const received = await intake({
      channel: 'twitter',
      reporter: { handle: '@budi_kenari', anonymous: false },
      text: '@DKIJakarta pohon tumbang menutup Jl. Kenari Raya, foto dari @budi_kenari',
    });
    expect(await publicDescription(received.trackingCode)).toBe(
      '@DKIJakarta pohon tumbang menutup Jl. Kenari Raya, foto dari [name]',
    );
  });

  it('never writes the names it masks to the log', () => {
    expect(lines.join('\n')).not.toMatch(/Wijaya|Budi|budi_kenari/);
  });
});

describe('the public description migration', () => {
  it('derives the public text of reports stored before it, with the names sealed in the vault', async () => {
    const database = await createTestDatabase('status_public_text_migration');
    const vault = new IdentityVault(randomBytes(32).toString('base64'));
    const migrations = statusMigrations(vault);
    const open = (list: typeof migrations) =>
      openDatabase({
        url: database.url,
        entities: [],
        migrations: list,
        migrationsTableName: 'status_migrations',
      });
    try {
      // Every migration up to, not including, the one that derives public texts.
      const upTo = migrations.findIndex((m) => m.name === 'PublicText1764600000000');
      const before = await open(migrations.slice(0, upTo));
      const id = randomUUID();
      await before.query(
        `INSERT INTO report (id, tracking_code, channel, text, visibility, state) VALUES ($1, 'ABCDE-FGHJK', 'email', $2, 'public', 'RECEIVED')`,
        [id, SIGNED_MAIL],
      );
      await before.query(
        `INSERT INTO report_reporter (report_id, channel, sealed, pseudonym) VALUES ($1, 'email', $2, 'Pelapor #000000')`,
        [id, vault.seal(id, { reporter: ANDI, replyTo: null })],
      );
      await before.destroy();

      const after = await open(migrations);
      const [row] = (await after.query('SELECT text, public_text FROM report WHERE id = $1', [id])) as Array<{
        text: string;
        public_text: string;
      }>;
      await after.destroy();
      expect(row!.text).toBe(SIGNED_MAIL);
      expect(row!.public_text).toContain('Lampu PJU di Jl. Cempaka Putih Tengah mati total');
      for (const s of ANDI_SECRETS) expect(row!.public_text).not.toContain(s);
    } finally {
      await database.drop();
    }
  });
});
