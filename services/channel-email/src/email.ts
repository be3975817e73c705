import {
  defineChannel,
  MEDIA_STORE,
  MEDIA_TYPES,
  MediaController,
  mediaPublicBaseUrl,
  PgMediaStore,
  runChannel,
  trackingCodeFor,
} from '@aduan/channel-sdk';
import { createLogger, type Logger } from '@aduan/platform';
import { emailSettings } from './config';
import { Mailbox, type MailboxItem } from './imap/mailbox';
import { parseIncomingMail } from './mail/incoming-mail';
import { toInbound } from './mail/to-inbound';
import { AccessTokens } from './oauth2/access-tokens';
import { oauth2ClientOf } from './oauth2/oauth2-client';
import { oauth2SignIn, passwordSignIn } from './sign-in';
import { smtpSender } from './smtp';

const OUTCOME = {
  opened: 'report',
  continued: 'follow-up',
  'asked-for-details': 'empty',
  checked: 'status-check',
} as const;

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
      ...(smtp && { send: smtp.send }),
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
