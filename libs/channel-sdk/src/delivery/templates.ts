/**
 * What we say to citizens, in Bahasa Indonesia first and English after it, the same on every
 * channel. `long` suits e-mail and WhatsApp; `short` fits the fewest SMS segments we can.
 * Wording is plain and polite, and never repeats the citizen's own message or contact data.
 */

export interface ChannelMessage {
  /** Used where the channel has subjects (e-mail); others ignore it. */
  subject: string;
  text: string;
}

export type MessageStyle = 'long' | 'short';

export interface ReceiptFacts {
  trackingCode: string;
  trackingUrl: string;
}

export function acknowledgementMessage(f: ReceiptFacts, style: MessageStyle = 'long'): ChannelMessage {
  const subject = `Laporan diterima / Report received: ${f.trackingCode}`;
  if (style === 'short') {
    return {
      subject,
      text: `Laporan Anda diterima, nomor ${f.trackingCode}. Pantau: ${f.trackingUrl} / Report received, code ${f.trackingCode}.`,
    };
  }
  return {
    subject,
    text: [
      'Terima kasih, laporan Anda sudah kami terima.',
      `Nomor laporan: ${f.trackingCode}`,
      `Pantau perkembangannya di: ${f.trackingUrl}`,
      'Simpan nomor ini; sebutkan nomor tersebut bila Anda menghubungi kami lagi tentang laporan ini.',
      '',
      'Thank you, we have received your report.',
      `Tracking code: ${f.trackingCode}`,
      `Follow its progress at: ${f.trackingUrl}`,
      'Please keep this code and quote it if you contact us again about this report.',
    ].join('\n'),
  };
}

/** A later message that joined an existing report. */
export function followUpReceivedMessage(f: ReceiptFacts, style: MessageStyle = 'long'): ChannelMessage {
  const subject = `Tambahan informasi diterima / Additional information received: ${f.trackingCode}`;
  if (style === 'short') {
    return {
      subject,
      text: `Tambahan info untuk laporan ${f.trackingCode} diterima. / Added to report ${f.trackingCode}.`,
    };
  }
  return {
    subject,
    text: [
      `Terima kasih, informasi tambahan Anda sudah kami catat pada laporan ${f.trackingCode}.`,
      `Pantau perkembangannya di: ${f.trackingUrl}`,
      '',
      `Thank you, your additional information was added to report ${f.trackingCode}.`,
      `Follow its progress at: ${f.trackingUrl}`,
    ].join('\n'),
  };
}

/** A message with nothing we could act on: no text and no attachment. */
export function askForDetailsMessage(style: MessageStyle = 'long'): ChannelMessage {
  const subject = 'Mohon lengkapi laporan Anda / Please add details to your report';
  if (style === 'short') {
    return {
      subject,
      text: 'Pesan Anda kosong. Mohon kirim uraian masalah dan lokasinya. / Please describe the problem and where it is.',
    };
  }
  return {
    subject,
    text: [
      'Terima kasih telah menghubungi kami. Pesan Anda tidak berisi uraian maupun lampiran, sehingga belum dapat kami proses sebagai laporan.',
      'Mohon kirim kembali uraian masalahnya, lokasinya (alamat atau patokan), dan bila ada, foto pendukung.',
      '',
      'Thank you for contacting us. Your message had no text and no attachment, so we could not register it as a report.',
      'Please write again describing the problem, where it is (an address or a landmark) and, if you can, a photo.',
    ].join('\n'),
  };
}
