import {
  defineChannel,
  fetchMedia,
  MEDIA_STORE,
  MediaController,
  MediaFetchError,
  mediaPublicBaseUrl,
  MediaRefused,
  PermanentError,
  PgMediaStore,
  runChannel,
  type PollBatch,
  type PollIngress,
  type SendRequest,
} from '@aduan/channel-sdk';
import type { Attachment } from '@aduan/contracts';
import { createLogger, type Logger } from '@aduan/platform';
import type { TwitterApiv2 } from 'twitter-api-v2';
import { parseSearchQueries, twitterSettings } from './config';
import { afterPage, readPosition, writePosition, type Position } from './position';
import {
  DM_FIELDS,
  DM_PREFIX,
  dmsOf,
  dmToInbound,
  isOwnOrNotAMessage,
  mediaLinks,
  notAComplaint,
  POST_FIELDS,
  postsOf,
  postToInbound,
  postUrl,
  type MediaLink,
  type SourceDm,
  type SourcePost,
} from './posts';
import { CredentialsRefused, translateError, xClient, XRefused } from './x-api';

const HOUR = 3_600_000;
const PAGE_SIZE = 100;
/** X counts a post's length in characters (links as 23); a longer reply is refused. */
const POST_LIMIT = 280;
const MENTIONS = 'mentions';
const SEARCH = 'search:';
const SNOWFLAKE = /^\d{1,20}$/;

/**
 * X (Twitter): the city account's mentions and named searches (the Governor's and Deputy
 * Governor's accounts) read as separate partitions of one poll ingress, direct messages as
 * another; answered with a reply under the citizen's post (a DM for a DM) from the outbox.
 */
export const twitter = defineChannel({
  service: 'channel-twitter',
  channels: ['twitter'],
  settings: twitterSettings,
  port: 'TWITTER_PORT',
  preflight: (config) => void parseSearchQueries(config.TWITTER_SEARCH_QUERIES),
  setup(ctx) {
    const { config, logger } = ctx;
    const credentials = {
      TWITTER_API_KEY: config.TWITTER_API_KEY,
      TWITTER_API_SECRET: config.TWITTER_API_SECRET,
      TWITTER_ACCESS_TOKEN: config.TWITTER_ACCESS_TOKEN,
      TWITTER_ACCESS_SECRET: config.TWITTER_ACCESS_SECRET,
    };
    const missing = Object.entries(credentials).flatMap(([name, value]) => (value ? [] : [name]));
    if (missing.length) {
      // All four unset is said once by the runner (TWITTER_ACCESS_TOKEN's offWhenUnset).
      if (missing.length < 4)
        logger.warn(`${missing.join(', ')} not set: X (Twitter) intake and replies are off`);
      return {};
    }
    const client = xClient(
      {
        appKey: credentials.TWITTER_API_KEY!,
        appSecret: credentials.TWITTER_API_SECRET!,
        accessToken: credentials.TWITTER_ACCESS_TOKEN!,
        accessSecret: credentials.TWITTER_ACCESS_SECRET!,
      },
      config.TWITTER_API_BASE_URL,
    );
    const v2 = client.v2;
    const account = new CityAccount(v2, config.TWITTER_ACCOUNT_ID);
    const searches = parseSearchQueries(config.TWITTER_SEARCH_QUERIES);
    const postRules = ctx.conversationRules({ windowMs: 0, style: () => 'short' });
    const dmRules = ctx.conversationRules({ windowMs: config.TWITTER_DM_CONVERSATION_WINDOW_HOURS * HOUR });
    const outcomes = ctx.metrics.counter(
      'aduan_twitter_items_total',
      'Posts and DMs read from X, by outcome',
      ['source', 'outcome'],
    );
    // Media links name this adapter's port, learnt in `start` before any poll stored a file.
    let baseUrl = '';
    const media = new PgMediaStore(ctx.store.db, {
      publicBaseUrl: () => baseUrl,
      maxBytes: config.MEDIA_MAX_BYTES,
      maxPixels: config.MEDIA_MAX_PIXELS,
    });

    /** A post's files are public links (pbs.twimg.com). */
    const publicFile = async (url: string) => {
      const { bytes, contentType } = await fetchMedia(url, { maxBytes: media.limits.maxBytes });
      return { bytes, type: contentType };
    };
    /** A DM's files are only for the account: fetched with its credentials. */
    const dmFile = async (url: string) => ({
      bytes: await call('a DM attachment', () => client.v1.downloadDmImage(url)),
      type: null,
    });

    /** Keeps the files of a post or DM in the media store; one that can never be kept becomes a note. */
    async function keep(
      links: MediaLink[],
      fetchFile: (url: string) => Promise<{ bytes: Buffer; type: string | null }>,
    ): Promise<{ attachments: Attachment[]; notes: string[] }> {
      const attachments: Attachment[] = [];
      const notes: string[] = [];
      for (const link of links) {
        try {
          // Only links X's API gave for this post or DM: never a link someone typed.
          const { bytes, type } = await fetchFile(link.url);
          const { id: _id, ...ref } = await media.put(bytes, {
            filename: link.filename,
            ...(type ? { declaredType: type } : {}),
          });
          attachments.push(ref);
          if (link.stillOf) notes.push(`Cuplikan video / still of a video: ${link.stillOf}`);
        } catch (err) {
          const never =
            err instanceof MediaRefused ||
            err instanceof PermanentError ||
            (err instanceof MediaFetchError && !err.transient);
          if (!never) throw err;
          notes.push(`Foto tidak dapat disimpan / photo not kept: ${err.message}`);
        }
      }
      return { attachments, notes };
    }

    async function call<T>(what: string, request: () => Promise<T>): Promise<T> {
      try {
        const result = await request();
        account.works();
        return result;
      } catch (err) {
        const translated = translateError(err, account.label, what);
        if (translated instanceof CredentialsRefused) account.refused(translated);
        throw translated;
      }
    }

    async function readPosts(partition: string, cursor: string | null): Promise<PollBatch<SourcePost>> {
      const cityId = await account.id(call); // the account is the token's, or nothing is read
      const read = (at: Position) => {
        const params = {
          ...POST_FIELDS,
          max_results: PAGE_SIZE,
          ...(at.since ? { since_id: at.since } : {}),
          ...(at.token ? { pagination_token: at.token } : {}),
        };
        return partition === MENTIONS
          ? call('the mentions', async () => (await v2.userMentionTimeline(cityId, params)).data)
          : call(`the search ${partition}`, async () => (await v2.search(queryOf(partition), params)).data);
      };
      let at = readPosition(cursor);
      let page;
      try {
        page = await read(at);
      } catch (err) {
        // Recent search keeps seven days, and refuses a position older than that (400): the
        // search starts again from the oldest post X still keeps. What X no longer has is gone
        // either way; what it has is read, and what was read before is the same report.
        const tooOld = err instanceof XRefused && err.status === 400 && partition !== MENTIONS;
        if (!tooOld || (!at.since && !at.token)) throw err;
        logger.warn('X refused the saved position of a search; reading what it still keeps', {
          partition,
          error: err.message,
        });
        at = {};
        page = await read(at);
      }
      const next = afterPage(at, page.meta?.newest_id, page.meta?.next_token);
      return { items: postsOf(page, partition), next: writePosition(next), more: Boolean(next.token) };
    }

    const queryOf = (partition: string): string => {
      const q = searches.find((s) => `${SEARCH}${s.name}` === partition);
      if (!q) throw new Error(`no search named ${partition}`);
      return q.query;
    };

    async function takeInPost(item: SourcePost, log: Logger): Promise<void> {
      const source = item.source === MENTIONS ? MENTIONS : 'search';
      const skip = notAComplaint(item, await account.id(call));
      if (skip) {
        log.info('post is not a complaint, nothing sent', { reason: skip });
        outcomes.inc({ source, outcome: skip });
        return;
      }
      const kept = await keep(mediaLinks(item.media, postUrl(item.post.id)), publicFile);
      const outcome = await postRules.handle(postToInbound(item, kept));
      outcomes.inc({ source, outcome: outcome.kind });
    }

    /**
     * DM events have no `since_id`: a walk goes back page by page until it meets an event
     * already read, and keeps the newest id as the next walk's end.
     */
    async function readDms(cursor: string | null): Promise<PollBatch<SourceDm>> {
      await account.id(call); // the account is the token's, or nothing is read
      const at = readPosition(cursor);
      const page = await call(
        'the direct messages',
        async () =>
          (
            await v2.listDmEvents({
              ...DM_FIELDS,
              max_results: PAGE_SIZE,
              ...(at.token ? { pagination_token: at.token } : {}),
            })
          ).data,
      );
      // An event without an X id can be neither placed in the walk nor answered; dropped with a
      // warning rather than quarantined again at every read (DM pages have no since_id).
      const events = (page.data ?? []).filter((e) => SNOWFLAKE.test(String(e.id)));
      if (events.length < (page.data?.length ?? 0)) logger.warn('DM events without an X id ignored');
      const unread = events.filter((e) => !at.since || BigInt(e.id) > BigInt(at.since));
      const newest = events.reduce<string | undefined>(
        (n, e) => (!n || BigInt(e.id) > BigInt(n) ? e.id : n),
        undefined,
      );
      const walkOn = unread.length === events.length ? page.meta?.next_token : undefined;
      const next = afterPage(at, newest, walkOn);
      return {
        items: dmsOf({ ...page, data: unread }),
        next: writePosition(next),
        more: Boolean(next.token),
      };
    }

    async function takeInDm(item: SourceDm, log: Logger): Promise<void> {
      const cityId = await account.id(call);
      if (isOwnOrNotAMessage(item, cityId)) {
        log.info('DM is not from a citizen, nothing sent');
        outcomes.inc({ source: 'dm', outcome: 'not-a-message' });
        return;
      }
      const kept = await keep(mediaLinks(item.media, 'https://x.com/messages'), dmFile);
      outcomes.inc({ source: 'dm', outcome: (await dmRules.handle(dmToInbound(item, kept))).kind });
    }

    const every = config.TWITTER_POLL_INTERVAL_SECONDS * 1000;
    const maxBackoffMs = config.TWITTER_RETRY_MAX_SECONDS * 1000;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each ingress is typed by its `satisfies`
    const polls: PollIngress<any>[] = [
      {
        name: 'posts',
        partitions: [MENTIONS, ...searches.map((s) => `${SEARCH}${s.name}`)],
        poll: (partition, cursor) => readPosts(partition, cursor),
        handle: (item: SourcePost, log) => takeInPost(item, log),
        idOf: (item: SourcePost) => (typeof item.post?.id === 'string' ? `post:${item.post.id}` : undefined),
        intervalMs: every,
        maxBackoffMs,
      } satisfies PollIngress<SourcePost>,
      ...(config.TWITTER_DIRECT_MESSAGES
        ? [
            {
              name: 'dms',
              partitions: ['direct'],
              poll: (_partition, cursor) => readDms(cursor),
              handle: (item: SourceDm, log) => takeInDm(item, log),
              idOf: (item: SourceDm) =>
                typeof item.event?.id === 'string' ? `dm:${item.event.id}` : undefined,
              intervalMs: every,
              maxBackoffMs,
            } satisfies PollIngress<SourceDm>,
          ]
        : []),
    ];

    async function send({ to, message }: SendRequest): Promise<string> {
      if (to.address.startsWith(DM_PREFIX)) {
        const sent = await call('a DM', () =>
          v2.sendDmToParticipant(to.address.slice(DM_PREFIX.length), { text: message.text }),
        );
        return sent.dm_event_id;
      }
      // Public: the reply names nothing but the tracking code and its link.
      const text =
        message.text.length > POST_LIMIT ? `${message.text.slice(0, POST_LIMIT - 1)}\u2026` : message.text;
      // A post of its own would reach nobody in particular: a public answer is always a reply.
      if (!to.thread) throw new PermanentError('X_NO_THREAD', 'no post to reply under');
      const posted = await call('a reply', () => v2.reply(text, to.thread!));
      return posted.data.id;
    }

    return {
      polls,
      send,
      api: { controllers: [MediaController], providers: [{ provide: MEDIA_STORE, useValue: media }] },
      health: { 'x-credentials': () => account.assertWorking() },
      start: async ({ port }: { port: number }) => {
        baseUrl = mediaPublicBaseUrl(config.MEDIA_PUBLIC_BASE_URL, port);
      },
    };
  },
});

/**
 * The city's account as X knows it: its id, checked once against the access token with
 * GET /2/users/me (the setting may be left unset, then this is where it comes from), and
 * whether X took its credentials at the last call, for readiness.
 */
class CityAccount {
  private known: Promise<string> | null = null;
  private problem: Error | null = null;
  private learnt: string | undefined;

  constructor(
    private readonly v2: TwitterApiv2,
    private readonly configuredId: string | undefined,
  ) {}

  /** How errors and readiness name the account (its id is public; its handle is not needed). */
  get label(): string {
    return this.configuredId ?? this.learnt ?? 'behind TWITTER_ACCESS_TOKEN';
  }

  id(call: <T>(what: string, request: () => Promise<T>) => Promise<T>): Promise<string> {
    this.known ??= call('the account check', () => this.v2.me())
      .then(({ data }) => {
        // Reading another account's mentions, or taking the city's own posts for complaints,
        // would be worse than reading nothing.
        if (this.configuredId && data.id !== this.configuredId)
          throw (this.problem = new Error(
            `TWITTER_ACCOUNT_ID ${this.configuredId} is not the account of TWITTER_ACCESS_TOKEN (${data.id})`,
          ));
        return (this.learnt = data.id);
      })
      .catch((err: unknown) => {
        this.known = null; // asked again at the next poll
        throw err;
      });
    return this.known;
  }

  works(): void {
    if (this.problem instanceof CredentialsRefused) this.problem = null;
  }

  refused(err: CredentialsRefused): void {
    this.problem = err;
  }

  assertWorking(): void {
    if (this.problem) throw this.problem;
  }
}

export const startChannelTwitter = (
  env: NodeJS.ProcessEnv = process.env,
  logger: Logger = createLogger(twitter.service),
) => runChannel(twitter, env, logger);
