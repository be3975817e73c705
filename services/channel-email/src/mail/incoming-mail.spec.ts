import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseIncomingMail, trackingCodesInSubject } from './incoming-mail';
import { trimQuotedReply } from './quoted-reply';

const fixture = (name: string) => readFileSync(join(__dirname, '../../test/fixtures', name));

describe('reading a complaint mail', () => {
  it('decodes ISO-8859-1 quoted-printable text', async () => {
    const mail = await parseIncomingMail(fixture('latin1-quoted-printable.eml'));
    expect(mail.text).toBe('Trotoar di depan caf\u00e9 Men\u00e9ng rusak parah.');
    expect(mail.subject).toBe('Trotoar rusak \u2014 mohon dibantu');
    expect(mail.automated).toBeNull();
  });

  it('turns HTML-only mail into plain text without scripts or styles, keeping the inline image as an attachment', async () => {
    const mail = await parseIncomingMail(fixture('html-inline-image.eml'));
    expect(mail.text).toContain('Saluran air tersumbat');
    expect(mail.text).not.toMatch(/<|alert|color:/);
    expect(mail.attachments).toEqual([expect.objectContaining({ contentType: 'image/png', inline: true })]);
    expect(mail.attachments[0]!.content.subarray(1, 4).toString('latin1')).toBe('PNG');
  });

  it('trims the quoted acknowledgement from a reply and reads its thread', async () => {
    const mail = await parseIncomingMail(fixture('reply-indonesian-client.eml'));
    expect(mail.text).toBe('Sampai hari ini belum ada petugas yang datang.');
    expect(mail.threadKeys).toEqual(['<ack.1@aduan.test>', '<orig.1@warga.example>']);
    expect(trackingCodesInSubject(mail.subject)).toEqual(['ABCDE-FGHJK']);
  });

  it('recognises bounces, auto-replies and list mail', async () => {
    const bounce = await parseIncomingMail(fixture('bounce.eml'));
    expect(bounce.automated).toBe('system-sender');
    const vacation = await parseIncomingMail(
      Buffer.from('From: a@b.example\r\nAuto-Submitted: auto-replied\r\nSubject: cuti\r\n\r\nSaya cuti.\r\n'),
    );
    expect(vacation.automated).toBe('auto-submitted');
    const list = await parseIncomingMail(
      Buffer.from('From: a@b.example\r\nList-Id: <x.lists.example>\r\nSubject: news\r\n\r\nnews\r\n'),
    );
    expect(list.automated).toBe('mailing-list');
    const person = await parseIncomingMail(
      Buffer.from('From: a@b.example\r\nAuto-Submitted: no\r\nSubject: lapor\r\n\r\nJalan rusak\r\n'),
    );
    expect(person.automated).toBeNull();
    const outOfOffice = await parseIncomingMail(
      Buffer.from('From: a@b.example\r\nSubject: Automatic reply: Laporan diterima\r\n\r\nSaya cuti.\r\n'),
    );
    expect(outOfOffice.automated).toBe('auto-reply');
  });

  it('keeps the Authentication-Results headers in the order the mail carries them', async () => {
    const mail = await parseIncomingMail(
      Buffer.from(
        'Authentication-Results: mx.ours.example;\r\n\tspf=pass smtp.mailfrom=b.example\r\n' +
          'Received: from x\r\nAuthentication-Results: mx.other.example; dkim=pass\r\n' +
          'From: a@b.example\r\nSubject: lapor\r\n\r\nJalan rusak\r\n',
      ),
    );
    expect(mail.authenticationResults).toEqual([
      'mx.ours.example;\r\n\tspf=pass smtp.mailfrom=b.example',
      'mx.other.example; dkim=pass',
    ]);
  });

  it('cuts quoted history in the forms common clients write it', () => {
    expect(
      trimQuotedReply('Baik.\n\nPada Sen, 5 Jan 2026 pukul 10.22, Aduan <x@y.id> menulis:\n> lama'),
    ).toBe('Baik.');
    expect(
      trimQuotedReply('OK\n\nOn Mon, Jan 5, 2026 at 10:22 AM Aduan Jakarta <x@y.id>\nwrote:\n> old'),
    ).toBe('OK');
    expect(trimQuotedReply('Sudah\n-----Original Message-----\nFrom: x')).toBe('Sudah');
    expect(trimQuotedReply('Satu\n> kutipan\nDua')).toBe('Satu\nDua');
  });

  it('finds tracking codes the way citizens type them in a subject', () => {
    expect(trackingCodesInSubject('Re: laporan abcde fghjk')).toEqual(['ABCDE-FGHJK']);
    expect(trackingCodesInSubject('Jalan rusak di RT 05')).toEqual([]);
  });
});
