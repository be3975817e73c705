import { publicDescription } from './public-description';

const ANDI = { name: 'Andi Wijaya', email: 'andi.w@contoh.example' };

/** None of these may reach anything the public reads. */
function expectNothingOf(text: string, ...secrets: string[]): void {
  for (const s of secrets) expect(text.toLowerCase()).not.toContain(s.toLowerCase());
}

describe('the public description of a complaint', () => {
  it('ends an Indonesian e-mail at its sign-off', () => {
    const mail = [
      'Selamat siang,',
      '',
      'Saya ingin melaporkan jalan berlubang di Jl. Kenari II dekat SDN Kenari 01. Lubangnya',
      'sudah dua minggu dan kemarin ada pengendara motor yang jatuh.',
      '',
      'Terima kasih,',
      'Andi',
    ].join('\n');
    expect(publicDescription(mail, ANDI)).toBe(
      [
        'Selamat siang,',
        '',
        'Saya ingin melaporkan jalan berlubang di Jl. Kenari II dekat SDN Kenari 01. Lubangnya',
        'sudah dua minggu dan kemarin ada pengendara motor yang jatuh.',
      ].join('\n'),
    );
  });

  it('drops a multi-line signature with title, address and phone after "Hormat saya"', () => {
    const mail = [
      'Yth. Bapak/Ibu petugas,',
      '',
      'Lampu PJU di Jl. Cempaka Putih Tengah 17 mati total sejak Senin, gelap dan rawan jambret.',
      'Mohon segera diperbaiki.',
      '',
      'Hormat saya,',
      '',
      'Ir. Andi Wijaya, M.T.',
      'Ketua RT 005/RW 003 Kel. Cempaka Putih Timur',
      'Jl. Cempaka Putih Tengah 17 No. 12, Jakarta Pusat 10510',
      'HP. 0812-3456-7890',
    ].join('\n');
    const out = publicDescription(mail, ANDI);
    expect(out).toBe(
      [
        'Yth. Bapak/Ibu petugas,',
        '',
        'Lampu PJU di Jl. Cempaka Putih Tengah 17 mati total sejak Senin, gelap dan rawan jambret.',
        'Mohon segera diperbaiki.',
      ].join('\n'),
    );
    expectNothingOf(out, 'Andi', 'Wijaya', 'Ketua', 'RT 005', 'No. 12', '0812');
  });

  it('ends an English e-mail at "Best regards" and its phone footer', () => {
    const mail = [
      'Hi,',
      '',
      'There is a big pile of garbage at the corner of Jl. Sabang and Jl. Wahid Hasyim.',
      'It has not been collected for four days and it smells.',
      '',
      'Best regards,',
      'Andrew Tan',
      'Operations Manager, PT Sabang Makmur',
      'Menara Sabang Lt. 5, Jl. H. Agus Salim 12, Jakarta 10340',
      'M: +62 811 234 5678',
      '',
      'Sent from my iPhone',
    ].join('\n');
    const out = publicDescription(mail, { name: 'Andrew Tan', email: 'andrew.tan@sabang.example' });
    expect(out).toBe(
      [
        'Hi,',
        '',
        'There is a big pile of garbage at the corner of Jl. Sabang and Jl. Wahid Hasyim.',
        'It has not been collected for four days and it smells.',
      ].join('\n'),
    );
  });

  it.each([
    ['Thanks,\nAndrew'],
    ['Kind regards\nAndrew Tan'],
    ['Terimakasih atas perhatiannya.\nAndrew'],
    ['Salam,\nAndrew'],
    ['Wassalamualaikum wr. wb.\nAndrew Tan'],
    ['Atas perhatian Bapak/Ibu saya ucapkan terima kasih.\nAndrew'],
    ['Cheers,\nA.'],
    ['--\nAndrew Tan | PT Sabang Makmur | +62 811 234 5678'],
    ['-- \nA. Tan'],
  ])('cuts at the sign-off %j', (signature) => {
    const out = publicDescription(`Trotoar di Jl. Sabang rusak, banyak paving yang lepas.\n\n${signature}`, {
      name: 'Andrew Tan',
    });
    expect(out).toBe('Trotoar di Jl. Sabang rusak, banyak paving yang lepas.');
  });

  it.each([
    ['Sent from my iPhone'],
    ['Dikirim dari iPhone saya'],
    ['Dikirim dari Yahoo Mail di Android'],
    ['Get Outlook for Android'],
    ['Sent from my Galaxy, Andi’s phone'],
  ])('drops the mobile footer %j', (footer) => {
    expect(publicDescription(`Banjir setinggi lutut di Jl. Kemang Raya.\n\n${footer}`, ANDI)).toBe(
      'Banjir setinggi lutut di Jl. Kemang Raya.',
    );
  });

  it('keeps a line that only starts like a footer', () => {
    const text = 'Banjir di Jl. Kemang Raya.\nDikirim dari kantor kelurahan, petugas belum datang.';
    expect(publicDescription(text, ANDI)).toBe(text);
  });

  it('drops the acknowledgement a reply quotes, Gmail style, and the signature above it', () => {
    const mail = [
      'Sampai hari ini belum ada petugas yang datang, lubangnya makin besar.',
      '',
      'Salam,',
      'Andi Wijaya',
      '',
      'Pada Sen, 5 Jan 2026 pukul 10.22 Aduan Jakarta <pengaduan@aduan.test>',
      'menulis:',
      '> Terima kasih, laporan Anda sudah kami terima.',
      '> Nomor laporan: ABCDE-FGHJK',
      '> Pantau perkembangannya di: https://aduan.test/lacak/ABCDE-FGHJK',
    ].join('\n');
    expect(publicDescription(mail, ANDI)).toBe(
      'Sampai hari ini belum ada petugas yang datang, lubangnya makin besar.',
    );
  });

  it('drops the acknowledgement an Outlook reply quotes below its header block', () => {
    const mail = [
      'Lubangnya sekarang sudah ditambal sebagian saja.',
      '',
      '________________________________',
      'Dari: Aduan Jakarta <pengaduan@aduan.test>',
      'Dikirim: Senin, 5 Januari 2026 10.22',
      'Kepada: Andi Wijaya <andi.w@contoh.example>',
      'Perihal: Laporan diterima / Report received: ABCDE-FGHJK',
      '',
      'Terima kasih, laporan Anda sudah kami terima.',
    ].join('\n');
    const out = publicDescription(mail, ANDI);
    expect(out).toBe('Lubangnya sekarang sudah ditambal sebagian saja.');
  });

  it('drops quoted lines and an Outlook header block without its rule', () => {
    const mail = [
      'Masih banjir.',
      '> Nomor laporan: ABCDE-FGHJK',
      'Air sudah masuk rumah.',
      '',
      'From: Aduan Jakarta <pengaduan@aduan.test>',
      'Sent: Monday, 5 January 2026 10:22',
      'To: Andi Wijaya',
    ].join('\n');
    expect(publicDescription(mail, ANDI)).toBe('Masih banjir.\nAir sudah masuk rumah.');
  });

  it('masks the reporter wherever the text names them, in any case and in part', () => {
    const text =
      'Saya ANDI WIJAYA, warga Kenari. Pak Andi dari RT sebelah juga lihat. Hubungi andi.w atau andi.w@contoh.example.';
    expect(publicDescription(text, ANDI)).toBe(
      'Saya [name], warga Kenari. Pak [name] dari RT sebelah juga lihat. Hubungi [name] atau [email].',
    );
  });

  it('masks a WhatsApp profile name and ends the message where the sender signs it', () => {
    const message =
      'Selamat pagi, saya Budi Santoso warga Kel. Kenari. Got mampet depan rumah, air meluap ke jalan.\n- Budi';
    expect(publicDescription(message, { name: 'Budi Santoso' })).toBe(
      'Selamat pagi, saya [name] warga Kel. Kenari. Got mampet depan rumah, air meluap ke jalan.',
    );
    expect(publicDescription('Got mampet di Jl. Kramat Raya. Makasih, Budi 🙏', { name: 'Budi 🙏' })).toBe(
      'Got mampet di Jl. Kramat Raya. Makasih, [name]',
    );
  });

  it('masks social handles, with or without their @', () => {
    expect(
      publicDescription('@pemprovdki tolong, pohon tumbang di Jl. Diponegoro. cc @andi_jkt', {
        handle: '@andi_jkt',
      }),
    ).toBe('@pemprovdki tolong, pohon tumbang di Jl. Diponegoro. cc [name]');
    expect(publicDescription('ini akun andi_jkt, lapor sampah', { handle: 'andi_jkt' })).toBe(
      'ini akun [name], lapor sampah',
    );
  });

  it("takes no words from a display name that is only the sender's address", () => {
    const reporter = { name: 'andi.w@contoh.example', email: 'andi.w@contoh.example' };
    expect(publicDescription('Contoh: trotoar rusak, ditulis andi.w sendiri.', reporter)).toBe(
      'Contoh: trotoar rusak, ditulis [name] sendiri.',
    );
  });

  it('keeps phone and e-mail masking, including numbers glued to their label', () => {
    expect(publicDescription('Hubungi HP.0812-3456-7890 atau budi@contoh.example', {})).toBe(
      'Hubungi HP.[phone] atau [email]',
    );
  });

  it('keeps the complaint when it opens with a thank-you or with the sender introducing themselves', () => {
    const text = 'Terima kasih sebelumnya.\nSaya Andi, ada pohon tumbang menutup Jl. Kenari Raya.';
    expect(publicDescription(text, ANDI)).toBe(
      'Terima kasih sebelumnya.\nSaya [name], ada pohon tumbang menutup Jl. Kenari Raya.',
    );
    expect(publicDescription('Andi\nPohon tumbang di Jl. Kenari Raya.', ANDI)).toBe(
      '[name]\nPohon tumbang di Jl. Kenari Raya.',
    );
  });

  it('does not cut at a sentence that merely starts with a thank-you or "demikian juga"', () => {
    const text = [
      'Lampu jalan di Jl. Salemba Raya mati.',
      'Terima kasih sudah memperbaiki yang kemarin, tetapi sekarang tiang di depan nomor 20 juga padam.',
      'Demikian juga lampu di gang sebelahnya.',
    ].join('\n');
    expect(publicDescription(text, ANDI)).toBe(text);
  });

  it('masks the distinctive words of a profile name, not its honorifics or common words', () => {
    const text = 'Sampah menumpuk di Jl. Salemba Raya. Pak RT bilang Yusuf sudah lapor ke kelurahan.';
    expect(publicDescription(text, { name: 'Pak RT Yusuf' })).toBe(
      'Sampah menumpuk di Jl. Salemba Raya. Pak RT bilang [name] sudah lapor ke kelurahan.',
    );
    expect(publicDescription(text, { name: 'Warga Jakarta Raya' })).toBe(text);
  });

  it('sees through zero-width characters that split a name or a number', () => {
    expect(publicDescription('saya An\u200bdi, HP 0812\u200b3456\u200b7890', ANDI)).toBe(
      'saya [name], HP [phone]',
    );
  });
});
