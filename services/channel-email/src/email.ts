import {
  defineChannel,
  MEDIA_STORE,
  MEDIA_TYPES,
  MediaController,
  mediaPublicBaseUrl,
  PermanentError,
  PgMediaStore,
  RateLimits,
  runChannel,
  type OutboundSender,
  trackingCodeFor,
} from '@aduan/channel-sdk';
import { createLogger, type Logger } from '@aduan/platform';
import { emailSettings } from './config';
import { Mailbox, type MailboxItem } from './imap/mailbox';
import { parseIncomingMail } from './mail/incoming-mail';
import { applySenderTrust } from './mail/sender-trust';
import { toInbound } from './mail/to-inbound';
import { AccessTokens } from './oauth2/access-tokens';
import { oauth2ClientOf } from './oauth2/oauth2-client';
import { oauth2SignIn, passwordSignIn } from './sign-in';
import { assertAnswerable, smtpSender } from './smtp';

const OUTCOME = {
  opened: 'report',
  continued: 'follow-up',
  'asked-for-details': 'empty',
  checked: 'status-check',
} as const;

const HOUR = 3_600_000;

const typeAllowed = (type: string, patterns: readonly string[]): boolean =>
  patterns.some((p) => (p.endsWith('/*') ? type.startsWith(p.slice(0, -1)) : type === p));

/**
 * The complaint mailbox: mail read over IMAP (a poll ingress that waits in IDLE), answered over
 * SMTP from the outbox, threaded under the citizen's own mail. Attachments go to the media store.
 */
export const email = defineChannel({
  service: 'channel-email',
  channels: ['email'],
  settings: emailSettings,
  port: 'EMAIL_PORT',
  preflight: (config) => void oauth2ClientOf('channel-email', config),
  setup(ctx) {
    const { config, logger } = ctx;
    const oauth2 = oauth2ClientOf('channel-email', config);
    const tokens =
      oauth2 &&
      new AccessTokens(oauth2, {
        log: logger.child({ component: 'oauth2' }),
        maxBackoffMs: config.EMAIL_RECONNECT_MAX_MS,
      });
    const signInTo = (url: string) => {
      const parsed = new URL(url);
      return tokens ? oauth2SignIn(parsed, tokens) : passwordSignIn(parsed);
    };
    const domain = /@([A-Za-z0-9.-]+)>?\s*$/.exec(config.EMAIL_FROM)?.[1] ?? 'aduan.localhost';
    const ownAddress = (/<([^>]+)>/.exec(config.EMAIL_FROM)?.[1] ?? config.EMAIL_FROM).trim().toLowerCase();
    const rules = ctx.conversationRules({ windowMs: 0 }); // mail continues a report only by thread or code
    const trackingUrl = (reportId: string) =>
      ctx.trackingUrl(trackingCodeFor(reportId, config.TRACKING_CODE_SECRET));
    const smtp = config.SMTP_URL
      ? smtpSender(config.SMTP_URL, config.EMAIL_FROM, domain, trackingUrl, signInTo(config.SMTP_URL))
      : null;
    const outcomes = ctx.metrics.counter(
      'aduan_email_messages_total',
      'Mails read from the mailbox, by outcome',
      ['outcome'],
    );
    // Attachment links name this adapter's port. `start` learns it in the same tick the polls
    // start, before any poll has connected, let alone stored an attachment.
    let baseUrl = '';
    const media = new PgMediaStore(ctx.store.db, {
      publicBaseUrl: () => baseUrl,
      maxBytes: config.MEDIA_MAX_BYTES,
      maxPixels: config.MEDIA_MAX_PIXELS,
      types: MEDIA_TYPES.filter((t) => typeAllowed(t, config.EMAIL_ATTACHMENT_TYPES)),
    });

    // Counted in PostgreSQL, so every instance reading the mailbox shares the allowance (ADR 0056).
    const limits = new RateLimits(ctx.store.db, config.TRACKING_CODE_SECRET);
    const mailsPerSender = {
      name: 'email:mails-per-sender',
      max: config.EMAIL_SENDER_MAILS_PER_HOUR,
      windowMs: HOUR,
    };
    const repliesPerSender = {
      name: 'email:replies-per-sender',
      max: config.EMAIL_REPLIES_PER_SENDER_PER_DAY,
      windowMs: 24 * HOUR,
    };
    const overLimit = async (limit: typeof mailsPerSender, address: string) =>
      limit.max > 0 && !(await limits.take(limit, address)).allowed;

    async function handle(item: MailboxItem, log: Logger): Promise<void> {
      const mail = await parseIncomingMail(Buffer.from(item.raw, 'latin1'));
      const sourceId = `imap:${item.uidValidity}:${item.uid}`;
      let outcome: string;
      if (mail.automated) {
        log.info('automated mail ignored, no reply', { reason: mail.automated });
        outcome = 'automated';
      } else if (mail.fromAddress === ownAddress) {
        // Our own mail coming back, or someone writing as us: never a complaint, never answered.
        log.info('mail from our own address ignored');
        outcome = 'own-mail';
      } else if (mail.fromAddress && (await overLimit(mailsPerSender, mail.fromAddress))) {
        // Kept aside, not lost: the mail stays in the mailbox and officers see it listed.
        await ctx.quarantine.keep({
          channel: 'email',
          ingress: 'poll:imap',
          sourceId,
          reason: `SENDER_RATE_LIMITED: more than ${mailsPerSender.max} mails from one sender in an hour`,
          excerpt: item.raw,
        });
        log.warn("mail over its sender's hourly limit quarantined", { sourceId });
        outcome = 'rate-limited';
      } else {
        const trusted = await applySenderTrust(
          await toInbound(mail, sourceId, media, domain),
          mail,
          ctx.store.conversations,
          config.EMAIL_AUTHSERV_ID,
        );
        if (trusted.strangerInThread)
          log.info("reply in a report's thread from someone other than its reporter: a new report");
        if (!trusted.answered)
          log.info('sender not authenticated: taken in, not answered', { verdict: trusted.verdict });
        outcome = OUTCOME[(await rules.handle(trusted.inbound)).kind];
      }
      outcomes.inc({ outcome });
    }

    /** Answers to one address are capped per day: a responder that ignores Auto-Submitted stops here. */
    const send: OutboundSender | undefined = smtp
      ? async (request) => {
          assertAnswerable(request.to); // before counting: what is never sent uses no allowance
          if (request.kind !== 'notification' && (await overLimit(repliesPerSender, request.to.address)))
            throw new PermanentError(
              'SENDER_REPLY_LIMIT',
              `not answered: more than ${repliesPerSender.max} answers to this address today`,
            );
          return smtp.send(request);
        }
      : undefined;

    const mailbox = config.IMAP_URL
      ? new Mailbox(new URL(config.IMAP_URL), handle, {
          log: logger.child({ component: 'imap' }),
          cursors: ctx.store.cursors,
          maxBackoffMs: config.EMAIL_RECONNECT_MAX_MS,
          signIn: signInTo(config.IMAP_URL),
        })
      : null;
    return {
      polls: mailbox ? [mailbox] : [],
      ...(send && { send }),
      api: { controllers: [MediaController], providers: [{ provide: MEDIA_STORE, useValue: media }] },
      health: {
        ...(mailbox && { imap: () => mailbox.assertConnected() }),
        ...(tokens && { oauth2: () => tokens.assertRenewable() }),
      },
      start: async ({ port }: { port: number }) => {
        baseUrl = mediaPublicBaseUrl(config.MEDIA_PUBLIC_BASE_URL, port);
        tokens?.start();
      },
      stop: async () => {
        tokens?.stop();
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
