import {
  defineChannel,
  fetchMedia,
  IMAGE_TYPES,
  MEDIA_STORE,
  MediaController,
  MediaFetchError,
  MediaRefused,
  mediaPublicBaseUrl,
  metaHandshake,
  PermanentError,
  PgMediaStore,
  runChannel,
  verifiers,
  WebhookRefused,
  type InboundMessage,
  type SendRequest,
  type WebhookVerifier,
} from '@aduan/channel-sdk';
import type { Attachment } from '@aduan/contracts';
import { createLogger, type Logger } from '@aduan/platform';
import { metaSettings } from './config';
import { GraphApi } from './graph-api';
import { readItem, type Change, type ReplyRoute, type Writing } from './reading';
import { parseSources } from './sources';
import { metaItems, type MetaItem } from './webhook';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const CHANGE_TEXT: Record<Change['kind'], string> = {
  edit: 'Pelapor mengubah tulisannya / The reporter edited what they wrote',
  // Meta does not say who took it down: the citizen, or the Page's moderators.
  deletion: 'Tulisan pelapor dihapus dari Meta / What the reporter wrote was deleted on Meta',
};

const off = (setting: string, what: string) => (): never => {
  throw new WebhookRefused(503, `${what} is disabled: ${setting} is not set`);
};

function channelOf(item: MetaItem): 'facebook' | 'messenger' | 'instagram' {
  if (item.kind === 'feed') return 'facebook';
  return item.kind === 'messaging' && item.object === 'page' ? 'messenger' : 'instagram';
}

/** Several Meta apps may deliver here, each signing with its own secret: one of them must hold. */
function signedByOneOf(secrets: string[]): WebhookVerifier {
  const checks = secrets.map((secret) => verifiers.metaSignature(secret));
  return (req) => {
    let refusal: unknown;
    for (const check of checks) {
      try {
        return check(req);
      } catch (err) {
        refusal = err;
      }
    }
    throw refusal;
  };
}

function idOf(item: MetaItem): string | undefined {
  if (item.kind === 'feed') return item.value.comment_id ?? item.value.post_id;
  if (item.kind === 'ig-comment') return item.value.id;
  return item.event.message?.mid ?? item.event.message_edit?.mid;
}

/**
 * Facebook Pages (visitors' posts and comments), Messenger and Instagram (comments and Direct
 * messages) of every Page and account the city answers from, on one signed webhook. Replies go
 * back where the citizen wrote: a comment reply, or a message within Meta's messaging windows.
 */
export const meta = defineChannel({
  service: 'channel-meta',
  channels: ['facebook', 'messenger', 'instagram'],
  settings: metaSettings,
  port: 'META_PORT',
  // A wrong META_PAGES stops the service at once, naming the entry (never its token).
  preflight: (config) => void parseSources(config.META_PAGES),
  setup(ctx) {
    const cfg = ctx.config;
    const sources = parseSources(cfg.META_PAGES);
    const graph = new GraphApi(cfg.META_GRAPH_API_BASE_URL, cfg.META_GRAPH_API_VERSION, sources);
    let port = cfg.META_PORT;
    const media = new PgMediaStore(ctx.store.db, {
      publicBaseUrl: () => mediaPublicBaseUrl(cfg.MEDIA_PUBLIC_BASE_URL, port),
      maxBytes: cfg.MEDIA_MAX_BYTES,
      maxPixels: cfg.MEDIA_MAX_PIXELS,
      types: IMAGE_TYPES,
    });
    const rules = {
      // A public comment is its own report unless it answers one (a thread), whoever wrote it.
      comments: ctx.conversationRules({ windowMs: 0 }),
      chat: ctx.conversationRules({ windowMs: cfg.META_CONVERSATION_WINDOW_HOURS * HOUR }),
    };

    /** Meta's picture links expire: the bytes go into the media store now. */
    async function pictures(w: Writing): Promise<{ attachments: Attachment[]; notes: string[] }> {
      const attachments: Attachment[] = [];
      const notes = [...w.notes];
      for (const [i, link] of w.pictures.entries()) {
        try {
          const { bytes, contentType } = await fetchMedia(link, { maxBytes: media.limits.maxBytes });
          const { id: _id, ...ref } = await media.put(bytes, {
            filename: `${w.message.channel}-${w.message.sourceId}-${i + 1}`,
            ...(contentType ? { declaredType: contentType } : {}),
          });
          attachments.push(ref);
        } catch (err) {
          const never = err instanceof MediaRefused || (err instanceof MediaFetchError && !err.transient);
          if (!never) throw err; // Meta or the database is briefly away: the delivery is retried
          notes.push(`Foto tidak dapat disimpan / photo not kept: ${err.message}`);
        }
      }
      return { attachments, notes };
    }

    async function inbound(w: Writing): Promise<InboundMessage> {
      const { attachments, notes } = await pictures(w);
      const m = w.message;
      const parts = [m.text.trim()];
      if (!parts[0] && attachments.length) parts[0] = 'Foto tanpa keterangan / Photo without description';
      // Nothing to act on stays empty, so the citizen is asked for details.
      if (parts[0]) parts.push(...notes.map((n) => `[${n}]`));
      const who =
        w.profileOf && sources.has(w.profileOf.source)
          ? await graph.nameOf(w.profileOf.source, w.profileOf.user, w.profileOf.channel)
          : {};
      return {
        ...m,
        reporter: { ...who, ...m.reporter },
        text: parts.filter(Boolean).join('\n'),
        attachments,
      };
    }

    /** An edit or a deletion, noted on the report it changes (ADR 0017). */
    async function noteChange(c: Change, log: Logger): Promise<void> {
      const { conversations } = ctx.store;
      const report = await conversations.findByThread(c.channel, [c.original]);
      if (!report) return log.info('a change to something that is no report', { kind: c.kind });
      const { followUp } = await conversations.keepFollowUp({
        channel: c.channel,
        sourceId: c.sourceId,
        reportId: report.reportId,
        text: c.kind === 'edit' && c.text ? `${CHANGE_TEXT.edit}:\n${c.text}` : CHANGE_TEXT[c.kind],
        receivedAt: c.at,
      });
      await ctx.bus.publish('aduan.complaint.followup.v1', {
        ...ctx.followUps.toEvent(followUp),
        kind: c.kind,
      });
      log.info('change noted on its report', { reportId: report.reportId, kind: c.kind });
    }

    async function send(r: SendRequest, log: Logger): Promise<string | undefined> {
      const [route, source] = (r.to.thread ?? '').split(':') as [ReplyRoute, string | undefined];
      if (!source)
        throw new PermanentError('META_NO_ROUTE', 'the recipient names no Page or account to answer from');
      const to = encodeURIComponent(r.to.address);
      const text = r.message.text;
      const within = r.lastInboundAt !== null && Date.now() - r.lastInboundAt.getTime() < DAY;
      switch (route) {
        case 'comments':
          return (
            await graph.post<{ id?: string }>(source, `${to}/comments`, { message: text.slice(0, 8000) })
          ).id;
        case 'ig-replies':
          return (
            await graph.post<{ id?: string }>(source, `${to}/replies`, { message: text.slice(0, 2200) })
          ).id;
        case 'messenger':
        case 'ig-direct': {
          // Outside the 24-hour window only a message tag gets through; Instagram knows HUMAN_AGENT only.
          const tag = route === 'messenger' ? cfg.META_MESSAGE_TAG : 'HUMAN_AGENT';
          if (!within) log.info('outside the 24-hour window: sent with a message tag', { tag });
          const answer = await graph.post<{ message_id?: string }>(
            source,
            `${encodeURIComponent(source)}/messages`,
            {
              recipient: { id: r.to.address },
              ...(within ? { messaging_type: 'RESPONSE' } : { messaging_type: 'MESSAGE_TAG', tag }),
              message: { text: text.slice(0, route === 'messenger' ? 2000 : 1000) },
            },
          );
          return answer.message_id;
        }
        default:
          throw new PermanentError('META_NO_ROUTE', `unknown reply route "${String(route)}"`);
      }
    }

    let prober: NodeJS.Timeout | undefined;
    const probeAll = async () => {
      for (const source of sources.keys()) {
        try {
          await graph.probe(source);
        } catch (err) {
          // A refused token is kept in graph.refusedTokens, which readiness reports; anything
          // else (Meta away, a rate limit) is checked again at the next round.
          ctx.logger.warn('the token check of a Page or account failed', {
            source,
            error: err instanceof Error ? err.message : String(err),
          });
        }
      }
    };

    const skipped = (what: string) => ctx.logger.info('not taken as a complaint', { what });
    const appSecrets = cfg.META_APP_SECRET ?? [];
    return {
      webhooks: [
        {
          name: 'meta',
          verify: appSecrets.length ? signedByOneOf(appSecrets) : off('META_APP_SECRET', 'Meta intake'),
          handshake: cfg.META_VERIFY_TOKEN
            ? metaHandshake(cfg.META_VERIFY_TOKEN)
            : off('META_VERIFY_TOKEN', 'the Meta webhook handshake'),
          parse: (req) => metaItems(req, skipped),
          channelOf,
          idOf,
          handle: async (item: MetaItem, log) => {
            const reading = readItem(item);
            if (reading.action === 'ignore')
              return log.info('not taken as a complaint', { why: reading.why });
            if (reading.action === 'change') return noteChange(reading.change, log);
            const rule = reading.writing.rules === 'comments' ? rules.comments : rules.chat;
            await rule.handle(await inbound(reading.writing));
          },
        },
      ],
      api: { controllers: [MediaController], providers: [{ provide: MEDIA_STORE, useValue: media }] },
      ...(sources.size ? { send } : {}),
      health: {
        'meta-tokens': () => {
          if (!graph.refusedTokens.size) return;
          const which = [...graph.refusedTokens.keys()].join(', ');
          throw new Error(`Meta refuses the token of ${which}: replace it in META_PAGES`);
        },
      },
      start: async (listening) => {
        port = listening.port;
        void probeAll();
        prober = setInterval(() => void probeAll(), cfg.META_TOKEN_CHECK_MINUTES * 60_000);
        prober.unref();
      },
      stop: async () => clearInterval(prober),
    };
  },
});

export const startChannelMeta = (env = process.env, logger = createLogger(meta.service)) =>
  runChannel(meta, env, logger);
