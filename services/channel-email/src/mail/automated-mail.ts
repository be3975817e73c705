/**
 * Mail that no person wrote to us: auto-replies, bounces and mailing-list traffic. It is not a
 * complaint and gets no reply, because answering robots is how mail loops start (RFC 3834).
 */

export type HeaderLookup = (name: string) => string | undefined;

/** Why a mail is automated, or null when a person sent it. */
export function automatedReason(
  header: HeaderLookup,
  fromAddress: string | undefined,
  contentType: string | undefined,
  subject?: string,
): string | null {
  const autoSubmitted = header('auto-submitted')?.trim().toLowerCase();
  if (autoSubmitted && autoSubmitted !== 'no') return 'auto-submitted';
  const precedence = header('precedence')?.trim().toLowerCase();
  if (precedence && ['bulk', 'junk', 'list', 'auto_reply'].includes(precedence))
    return `precedence-${precedence}`;
  if (header('x-autoreply') || header('x-autorespond') || header('x-autoresponse')) return 'auto-reply';
  // Responders that set none of the headers above still name themselves in the subject (Outlook,
  // Gmail's vacation responder in Indonesian); the per-sender reply limit catches the rest.
  if (
    subject &&
    /^\s*(automatic reply|auto(matic)?[- ]?reply|out of (the )?office|balasan otomatis)\b/i.test(subject)
  )
    return 'auto-reply';
  if (header('list-id') || header('list-unsubscribe') || header('list-post')) return 'mailing-list';
  const local = fromAddress?.split('@')[0]?.toLowerCase();
  if (local && /^(mailer-daemon|postmaster|no-?reply|do-?not-?reply|bounces?)$/.test(local))
    return 'system-sender';
  const returnPath = header('return-path')?.trim();
  if (returnPath === '<>') return 'bounce';
  if (contentType && /^multipart\/report/i.test(contentType)) return 'delivery-report';
  return null;
}
