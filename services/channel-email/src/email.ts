import {
  defineChannel,
  MEDIA_STORE,
  MEDIA_TYPES,
  MediaController,
  mediaPublicBaseUrl,
  PermanentError,
  PgMediaStore,
  runChannel,
  trackingCodeFor,
  type SendRequest,
} from '@aduan/channel-sdk';
import { createLogger, type Logger } from '@aduan/platform';
import { emailSettings } from './config';
import { Mailbox, type MailboxItem } from './imap/mailbox';
import { parseIncomingMail } from './mail/incoming-mail';
import { messageIdFor, toInbound, type MailThread } from './mail/to-inbound';
import { MailSender } from './smtp/mail-sender';

const ADDRESS = /^[^\s@<>()",;:]+@[^\s@<>()",;:]+\.[^\s@<>()",;:]+$/;
const OUTCOME = { opened: 'report', continued: 'follow-up', 'asked-for-details': 'empty' } as const;

function typeAllowed(type: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => (p.endsWith('/*') ? type.startsWith(p.slice(0, -1)) : type === p));
}

function threadOf(thread: string | undefined): MailThread {
  if (!thread) return { refs: [] };
  // A notification may name the Message-ID it answers instead of carrying our own record.
  if (!thread.startsWith('{')) return { refs: thread.split(/\s+/).filter(Boolean) };
  return JSON.parse(thread) as MailThread;
}

/**
 * The complaint mailbox: mail read over IMAP (a poll ingress that waits in IDLE), answered over
 * SMTP from the outbox, threaded under the citizen's own mail. Attachments go to the media store.
 */
export const email = defineChannel({
  service: 'channel-email',
  channels: ['email'],
  settings: emailSettings,
  port: 'EMAIL_PORT',
  setup(ctx) {
    const { config, logger } = ctx;
    const domain = MailSender.domainOf(config.EMAIL_FROM);
    const ownAddress = MailSender.addressOf(config.EMAIL_FROM);
    const rules = ctx.conversationRules({ windowMs: 0 }); // mail continues a report only by thread or code
    const mailbox = config.IMAP_URL
      ? new Mailbox(new URL(config.IMAP_URL), logger.child({ component: 'imap' }))
      : null;
    const smtp = config.SMTP_URL ? new MailSender(config.SMTP_URL, config.EMAIL_FROM) : null;
    const outcomes = ctx.metrics.counter(
      'aduan_email_messages_total',
      'Mails read from the mailbox, by outcome',
      ['outcome'],
    );
    // Attachment links name this adapter's port, known once it listens; no mail is read before.
    let baseUrl = '';
    let listening!: () => void;
    const listens = new Promise<void>((resolve) => (listening = resolve));
    const media = new PgMediaStore(ctx.store.db, {
      publicBaseUrl: () => baseUrl,
      maxBytes: config.MEDIA_MAX_BYTES,
      maxPixels: config.MEDIA_MAX_PIXELS,
      types: MEDIA_TYPES.filter((t) => typeAllowed(t, config.EMAIL_ATTACHMENT_TYPES)),
    });

    async function handle(item: MailboxItem, log: Logger): Promise<void> {
      const mail = await parseIncomingMail(Buffer.from(item.raw, 'latin1'));
      let outcome: string;
      if (mail.automated) {
        log.info('automated mail ignored, no reply', { reason: mail.automated });
        outcome = 'automated';
      } else if (mail.fromAddress === ownAddress) {
        // Our own mail coming back, or someone writing as us: never a complaint, never answered.
        log.info('mail from our own address ignored');
        outcome = 'own-mail';
      } else {
        const inbound = await toInbound(mail, `imap:${item.uidValidity}:${item.uid}`, media, domain);
        outcome = OUTCOME[(await rules.handle(inbound)).kind];
      }
      outcomes.inc({ outcome });
    }

    async function send({ deliveryId, kind, reportId, to, message }: SendRequest): Promise<string> {
      if (!ADDRESS.test(to.address))
        throw new PermanentError('BAD_RECIPIENT', 'recipient is not an e-mail address');
      const thread = threadOf(to.thread);
      const link = reportId ? ctx.trackingUrl(trackingCodeFor(reportId, config.TRACKING_CODE_SECRET)) : null;
      return smtp!.send({
        to: to.address,
        subject:
          kind === 'reply' && thread.subject
            ? `Re: ${thread.subject.replace(/^(re|balas):\s*/i, '')}`.slice(0, 300)
            : message.subject,
        text:
          kind === 'notification' && link
            ? `${message.text}\n\nPantau laporan Anda / Follow your report: ${link}`
            : message.text,
        messageId: messageIdFor(kind, deliveryId, domain),
        inReplyTo: thread.refs.at(-1),
        references: thread.refs,
      });
    }

    return {
      polls: mailbox
        ? [
            {
              name: 'imap',
              partitions: [mailbox.key],
              poll: async (key: string, cursor: string | null, signal: AbortSignal) => {
                await listens;
                // The watcher before the channel kit kept its position under the bare mailbox key.
                return mailbox.poll(cursor ?? (await ctx.store.cursors.load('email', key)), signal);
              },
              handle,
              idOf: (item: MailboxItem) => `imap:${item.uidValidity}:${item.uid}`,
              intervalMs: 250,
              maxBackoffMs: config.EMAIL_RECONNECT_MAX_MS,
            },
          ]
        : [],
      ...(smtp ? { send } : {}),
      api: { controllers: [MediaController], providers: [{ provide: MEDIA_STORE, useValue: media }] },
      ...(mailbox && {
        health: {
          imap: () => {
            if (!mailbox.connected) throw new Error('not connected to the IMAP server');
          },
        },
      }),
      start: async ({ port }: { port: number }) => {
        baseUrl = mediaPublicBaseUrl(config.MEDIA_PUBLIC_BASE_URL, port);
        listening();
      },
      stop: async () => {
        await mailbox?.close();
        smtp?.close();
      },
    };
  },
});

export const startChannelEmail = (
  env: NodeJS.ProcessEnv = process.env,
  logger: Logger = createLogger(email.service),
) => runChannel(email, env, logger);
