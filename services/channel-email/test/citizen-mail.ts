/** The complaint mailbox's own address in the tests. */
export const OURS = 'pengaduan@aduan.test';
export const citizen = (id: string) => `warga.${id}@warga.example`;

/** A plain-text complaint as a citizen's mail program writes it, Message-ID `<id@warga.example>`. */
export function citizenMail(
  id: string,
  text: string,
  opts: { from?: string; date?: string; subject?: string; messageId?: string; headers?: string[] } = {},
): string {
  return [
    // Above the rest, where a receiving server writes its own (Authentication-Results, Received).
    ...(opts.headers ?? []),
    `Subject: ${opts.subject ?? `Laporan ${id}`}`,
    `Message-ID: ${opts.messageId ?? `<${id}@warga.example>`}`,
    `From: ${opts.from ?? citizen(id)}`,
    `To: Aduan Jakarta <${OURS}>`,
    `Date: ${opts.date ?? 'Mon, 05 Jan 2026 10:22:00 +0700'}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    text,
    '',
  ].join('\r\n');
}
