/**
 * Who may add to a report by mail, and who is answered (ADR 0056).
 *
 * - A reply in a report's thread, or a mail quoting its tracking code, continues that report
 *   only when its From is the report's reporter, as the adapter's own conversation record holds
 *   it; anyone else's mail (a CC'd colleague, someone with a forwarded acknowledgement, a stranger
 *   who learnt a code) is a new complaint of its own.
 * - With our receiving server's authserv-id configured, a mail that server found forged (DKIM or
 *   SPF failed) continues nothing, even under the reporter's address.
 * - Only senders that pass the check are answered: a mail our server authenticated (DKIM aligned
 *   with From, and SPF), or the reporter continuing their own report. Anyone else is taken in
 *   but not answered, so forged mail never turns the city's mailbox against the person named in
 *   its From. Without an authserv-id every sender is answered, as before, and a warning says so.
 */
import type { Conversations, InboundMessage } from '@aduan/channel-sdk';
import type { IncomingMail } from './incoming-mail';
import { senderVerdict, type SenderVerdict } from './sender-authentication';

/** What the send step reads to refuse answering a sender that did not pass (see smtp.ts). */
export const UNVERIFIED = 'unverified-sender';

export interface TrustedInbound {
  inbound: InboundMessage;
  verdict: SenderVerdict | 'unchecked';
  /** A reply in someone else's report's thread, taken as a new complaint. */
  strangerInThread: boolean;
  answered: boolean;
}

export async function applySenderTrust(
  inbound: InboundMessage,
  mail: Pick<IncomingMail, 'authenticationResults' | 'fromAddress'>,
  conversations: Conversations,
  authservId: string | undefined,
): Promise<TrustedInbound> {
  const verdict = authservId
    ? senderVerdict(mail.authenticationResults, authservId, mail.fromAddress)
    : 'unchecked';
  const mayContinue = Boolean(mail.fromAddress) && verdict !== 'fail';
  const ownReport = async (trackingCode: string) =>
    mayContinue && (await conversations.findOwnByTrackingCode('email', inbound.from, trackingCode)) !== null;

  const inThread = await conversations.findByThread('email', inbound.inReplyTo ?? []);
  const ownThread = inThread !== null && (await ownReport(inThread.trackingCode));
  let ownCode = false;
  for (const code of inbound.quotedTrackingCodes ?? []) if (!ownCode) ownCode = await ownReport(code);

  const answered = verdict === 'unchecked' || verdict === 'pass' || ownThread || ownCode;
  const thread = inbound.replyTo.thread ? (JSON.parse(inbound.replyTo.thread) as object) : {};
  return {
    inbound: {
      ...inbound,
      ...(inThread && !ownThread ? { inReplyTo: [] } : {}),
      ...(mayContinue ? {} : { quotedTrackingCodes: [] }),
      ...(answered
        ? {}
        : { replyTo: { ...inbound.replyTo, thread: JSON.stringify({ ...thread, hold: UNVERIFIED }) } }),
    },
    verdict,
    strangerInThread: inThread !== null && !ownThread,
    answered,
  };
}
