/**
 * Cuts the quoted history out of a reply, so a report (or a follow-up note) carries what the
 * citizen wrote now, not our acknowledgement quoted back at us. Recognises the common
 * attribution lines in Bahasa Indonesia and English, Outlook's header block and '>' quoting.
 */

const ATTRIBUTION = [
  /^On .{1,300}wrote:\s*$/i, // Gmail, Apple Mail, Thunderbird
  /^Pada .{1,300}menulis:\s*$/i, // the same clients in Bahasa Indonesia
  /^-{2,}\s*(Original Message|Pesan Asli|Pesan Terusan|Forwarded message)\s*-{2,}\s*$/i,
  /^_{10,}\s*$/, // Outlook's rule above "From: … Sent: …"
  /^(From|Dari):\s.+$/i, // Outlook header block without a rule
];

export function trimQuotedReply(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let end = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    // Gmail wraps long attributions over two lines: "On Mon, …, Aduan <x@y>" / "wrote:".
    const joined = i + 1 < lines.length ? `${line} ${lines[i + 1]!.trim()}` : line;
    if (
      ATTRIBUTION.some((re) => re.test(line)) ||
      (/^(On|Pada)\s/i.test(line) && /(wrote|menulis):\s*$/i.test(joined))
    ) {
      end = i;
      break;
    }
  }
  const kept = lines.slice(0, end).filter((l) => !/^\s*>/.test(l));
  return kept
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
