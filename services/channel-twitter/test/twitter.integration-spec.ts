import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runChannel, type RunningChannel } from '@aduan/channel-sdk';
import type { ComplaintFollowUp, ComplaintReceived } from '@aduan/contracts';
import {
  capturedLogger,
  collectEvents,
  createTestDatabase,
  describeChannelConformance,
  eventually,
  testEnv,
  uniqueTopicPrefix,
  type ConformanceHarness,
  type TestDatabase,
} from '@aduan/testing';
import sharp from 'sharp';
import { twitter } from '../src/twitter';
import {
  citizenDm,
  citizenPost,
  CITY,
  CREDENTIALS,
  newId,
  startXApi,
  type StoredPost,
  type XApi,
} from './x-api-stand-in';

const GOVERNOR = 'to:GubernurJakarta OR @GubernurJakarta';
const TRACKING_CODE = /[2-9A-HJKMNP-TV-Z]{5}-[2-9A-HJKMNP-TV-Z]{5}/;

function envFor(api: XApi, db: TestDatabase, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...CREDENTIALS,
    TWITTER_PORT: '0',
    TWITTER_API_BASE_URL: api.url,
    TWITTER_SEARCH_QUERIES: `governor=${GOVERNOR}`,
    TWITTER_DIRECT_MESSAGES: 'false',
    TWITTER_POLL_INTERVAL_SECONDS: '1',
    TWITTER_RETRY_MAX_SECONDS: '1',
    DATABASE_URL: db.url,
    KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
    KAFKA_TOPIC_PREFIX: uniqueTopicPrefix(),
    ...extra,
  };
}

/**
 * Resolves once the adapter has read what the stand-in listed after `from`: the source was
 * answered with `id`, then asked again, which a partition does only after every post of the
 * previous answer is on Kafka and its cursor is saved.
 */
async function readBy(api: XApi, source: string, id: string, from: number): Promise<void> {
  await eventually(
    () => {
      const later = api.served.slice(from);
      const at = later.findIndex((s) => s.source === source && s.ids.includes(id));
      expect(at >= 0 && later.slice(at + 1).some((s) => s.source === source)).toBe(true);
    },
    { timeoutMs: 30_000 },
  );
}

type Partition = 'mentions' | 'search' | 'dms';

/**
 * How a citizen writes at each source partition: a post that mentions the city, a post a named
 * search finds, or a DM. `own`: the city's account writes it; `createdAt`: what X says of its time.
 */
function writerFor(partition: Partition, api: XApi) {
  const write = (text: string, o: { own?: boolean; createdAt?: string } = {}) => {
    if (partition === 'dms') {
      const d = citizenDm(text, o.own ? CITY : undefined, o.createdAt);
      api.dm(d);
      return { item: d.event.id, address: `dm:${d.event.sender_id}` };
    }
    const p = citizenPost(text, {
      ...(o.own ? { author: CITY } : {}),
      ...(o.createdAt ? { extra: { created_at: o.createdAt } } : {}),
    });
    if (partition === 'mentions') api.mention(p);
    else api.searchResult(GOVERNOR, p);
    return { item: p.post.id, address: p.post.id };
  };
  const source = partition === 'dms' ? 'dm' : partition === 'mentions' ? 'mentions' : `search:${GOVERNOR}`;
  return { source, write };
}

/**
 * The conformance suite for one source partition. What a citizen writes is placed at the
 * stand-in and the adapter reads it by itself; a redelivery is X listing the same item again.
 * X has no signature to forge: the forged item is written by the city's own account, which must
 * never become a report nor be answered.
 */
function harnessFor(partition: Partition) {
  return async (): Promise<ConformanceHarness<RunningChannel>> => {
    const [db, api] = await Promise.all([createTestDatabase(`twitter_${partition}`), startXApi()]);
    const { logger } = capturedLogger('channel-twitter');
    const env = envFor(api, db, partition === 'dms' ? { TWITTER_DIRECT_MESSAGES: 'true' } : {});
    const { source, write } = writerFor(partition, api);
    const written = new Map<string, { item: string; address: string }>();
    async function placeAndRead(id: string, text: string, o: { own?: boolean; createdAt?: string } = {}) {
      const from = api.served.length;
      const known = written.get(id);
      if (known) api.serveAgain(source, known.item);
      else written.set(id, write(text, o));
      await readBy(api, source, written.get(id)!.item, from);
      return 200;
    }
    return {
      channel: 'twitter',
      start: () => runChannel(twitter, env, logger),
      deliver: (_running, id, text) => placeAndRead(id, text),
      deliverForged: (_running, id) => placeAndRead(id, `Palsu ${id} @DKIJakarta`, { own: true }),
      // A creation time X could never have written: the same item will never read better.
      deliverUnreadable: (_running, id) =>
        placeAndRead(id, `Tanggal aneh ${id}`, { createdAt: 'kemarin sore' }),
      placeWhileStopped: async (id, text) => void written.set(id, write(text)),
      sent: () => api.sent(),
      addressOf: (id) => written.get(id)?.address ?? '',
      providerUp: (up) => {
        api.up = up;
      },
      close: async () => {
        await api.close();
        await db.drop();
      },
    };
  };
}

describe('channel-twitter: the mentions partition on the channel kit', () => {
  describeChannelConformance(harnessFor('mentions'), { ingress: 'poll' });
});

describe('channel-twitter: a named search partition on the channel kit', () => {
  describeChannelConformance(harnessFor('search'), { ingress: 'poll' });
});

describe('channel-twitter: the direct messages partition on the channel kit', () => {
  describeChannelConformance(harnessFor('dms'), { ingress: 'poll' });
});

const fixture = (name: string, api: XApi): StoredPost[] => {
  const raw = readFileSync(join(__dirname, 'fixtures', name), 'utf8').replaceAll(
    'https://pbs.twimg.com/',
    `${api.url}/pbs/`,
  );
  const body = JSON.parse(raw) as {
    data: StoredPost['post'] | StoredPost['post'][];
    includes: StoredPost['includes'];
  };
  return (Array.isArray(body.data) ? body.data : [body.data]).map((post) => ({
    post,
    includes: body.includes,
  }));
};

describe('channel-twitter: X API v2 posts as documented', () => {
  let api: XApi;
  let db: TestDatabase;
  let running: RunningChannel;
  let received: ComplaintReceived[];
  let followUps: ComplaintFollowUp[];
  const { logger, lines } = capturedLogger('channel-twitter');

  beforeAll(async () => {
    [db, api] = await Promise.all([createTestDatabase('twitter_posts'), startXApi()]);
    const jpeg = await sharp({ create: { width: 32, height: 24, channels: 3, background: '#2e86c1' } })
      .jpeg()
      .toBuffer();
    api.photo('media/example.jpg', jpeg, 'image/jpeg');
    api.photo('ext_tw_video_thumb/1293565706408038401/pu/img/66P2dvbU4a02jYbV.jpg', jpeg, 'image/jpeg');
    // The documented posts have small, old ids: each is listed before anything newer is read, the
    // oldest first. Two of them document one account (2244994945) under two names, so each is
    // served in an answer of its own, as X would have at the time.
    const [oldest] = fixture('x-v2-tweet.author-photo-expansion.json', api);
    api.mention(oldest!);
    // Read from /2/users/me: TWITTER_ACCOUNT_ID is left unset here.
    running = await runChannel(twitter, envFor(api, db, { TWITTER_SEARCH_QUERIES: '' }), logger);
    received = await collectEvents(running.context.bus, 'aduan.complaint.received.v1');
    followUps = await collectEvents(running.context.bus, 'aduan.complaint.followup.v1');
    for (const name of [
      'x-v2-tweet.media-video-expansion.json',
      'x-v2-users-mentions.author-expansion.json',
      'x-v2-tweet.place-expansion.json',
    ])
      for (const p of fixture(name, api)) await place(p);
  });
  afterAll(async () => {
    await running?.stop();
    await api?.close();
    await db?.drop();
  });

  /** The one report a post became (X listing it twice may publish it twice: one report id). */
  const reportOf = async (postId: string) =>
    eventually(
      () => {
        const mine = received.filter((e) => e.source.id === `post:${postId}`);
        expect(mine.length).toBeGreaterThan(0);
        expect(new Set(mine.map((e) => e.reportId)).size).toBe(1);
        return mine[0]!;
      },
      { timeoutMs: 30_000 },
    );

  async function place(p: StoredPost): Promise<void> {
    const from = api.served.length;
    api.mention(p);
    await readBy(api, 'mentions', p.post.id, from);
  }

  it('every documented post becomes one report with its text, author handle, media and place, and is answered under the post with its tracking code', async () => {
    const cases = [
      { id: '1301573587187331074', handle: '@developer', media: 0 },
      { id: '1234567890', handle: '@xdevelopers', media: 1 },
      { id: '1293593516040269825', handle: '@TwitterDev', media: 1 },
      { id: '1445880548472328192', handle: '@warga_jkt', media: 0 },
    ];
    for (const c of cases) {
      const report = await reportOf(c.id);
      expect(await running.keptContact(report)).toMatchObject({ handle: c.handle });
      expect(report.attachments).toHaveLength(c.media);
      for (const a of report.attachments) {
        const res = await fetch(a.url);
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toBe('image/jpeg');
      }
      await eventually(() => {
        const reply = api.replies.find((r) => r.inReplyTo === c.id);
        expect(reply?.text).toContain(report.trackingCode);
      });
    }
    expect((await reportOf('1301573587187331074')).text).toBe('Hey @XDevelopers, love the new API!');
    expect((await reportOf('1234567890')).text).toBe('Check out this image!');
    const video = await reportOf('1293593516040269825');
    expect(video.text).toContain('Say hello to the new #TwitterAPI.');
    expect(video.text).toContain('still of a video: https://x.com/i/web/status/1293593516040269825');
    const placed = await reportOf('1445880548472328192');
    expect(placed.location).toMatchObject({ address: 'Manhattan, NY' });
    expect(placed.location!.lat).toBeCloseTo((40.683935 + 40.877483) / 2, 5);
    expect(placed.location!.lon).toBeCloseTo((-74.026675 + -73.910408) / 2, 5);
    // Public replies carry the code and its link, never the citizen's handle or words.
    for (const r of api.replies) {
      expect(r.text).toMatch(TRACKING_CODE);
      expect(r.text).not.toMatch(/@\w/);
      expect(r.text.length).toBeLessThanOrEqual(280);
    }
    // Nothing personal in the logs: no handle, no text.
    expect(lines.join('\n')).not.toMatch(/xdevelopers|love the new API|warga_jkt/i);
  });

  it('retweets, quotes that add nothing and the city’s own posts are no reports and get no reply', async () => {
    const original = citizenPost('Jalan berlubang di Jl. Kemang Raya @DKIJakarta');
    await place(original);
    await reportOf(original.post.id);
    const retweet = citizenPost(`RT @warga: ${original.post.text}`, {
      extra: { referenced_tweets: [{ type: 'retweeted', id: original.post.id }] },
    });
    const bareQuote = citizenPost('@DKIJakarta https://t.co/abc123', {
      extra: { referenced_tweets: [{ type: 'quoted', id: original.post.id }] },
    });
    const own = citizenPost('Terima kasih atas laporannya, petugas menuju lokasi.', { author: CITY });
    const quoteWithWords = citizenPost('Sudah seminggu belum diperbaiki, lubangnya makin besar', {
      extra: { referenced_tweets: [{ type: 'quoted', id: original.post.id }] },
    });
    for (const p of [retweet, bareQuote, own]) await place(p);
    await place(quoteWithWords);
    await reportOf(quoteWithWords.post.id);
    for (const p of [retweet, bareQuote, own]) {
      expect(received.some((e) => e.source.id === `post:${p.post.id}`)).toBe(false);
      expect(api.replies.some((r) => r.inReplyTo === p.post.id)).toBe(false);
    }
  });

  it('a reply by the same author in the same conversation is a follow-up; another author’s is a report of its own; news of the report is a reply in its thread', async () => {
    const author = { id: newId(), name: 'Sari', username: 'sari_jkt' };
    const first = citizenPost('Pohon tumbang menutup jalan di Jl. Cikini Raya @DKIJakarta', { author });
    await place(first);
    const report = await reportOf(first.post.id);
    const more = citizenPost('@DKIJakarta sekarang kabel listrik ikut tertimpa', {
      author,
      conversation: first.post.id,
      extra: { referenced_tweets: [{ type: 'replied_to', id: first.post.id }] },
    });
    const stranger = citizenPost('@DKIJakarta di Jl. Menteng juga ada pohon tumbang', {
      conversation: first.post.id,
      extra: { referenced_tweets: [{ type: 'replied_to', id: first.post.id }] },
    });
    await place(more);
    await place(stranger);
    await eventually(() => {
      const added = followUps.filter((f) => f.source.id === `post:${more.post.id}`);
      expect(added).toHaveLength(1);
      expect(added[0]!.reportId).toBe(report.reportId);
      expect(added[0]!.text).toContain('kabel listrik');
    });
    expect(received.some((e) => e.source.id === `post:${more.post.id}`)).toBe(false);
    expect((await reportOf(stranger.post.id)).reportId).not.toBe(report.reportId);
    // The follow-up is answered in the same thread, under the citizen's reply.
    await eventually(() => expect(api.replies.some((r) => r.inReplyTo === more.post.id)).toBe(true));
    // Later news of the report is a reply in the thread it began, under the citizen's post.
    await running.context.bus.publish('aduan.notification.v1', {
      notificationId: randomUUID(),
      reportId: report.reportId,
      trackingCode: report.trackingCode,
      channel: 'twitter',
      locale: 'id',
      state: 'IN_PROGRESS',
      message: `Laporan ${report.trackingCode} sedang ditangani oleh Kelurahan Cikini.`,
    });
    await eventually(
      () => {
        const underPost = api.replies.filter((r) => r.inReplyTo === first.post.id);
        expect(underPost).toHaveLength(2); // the acknowledgement, then the news
        expect(underPost[1]!.text).toContain('sedang ditangani oleh Kelurahan Cikini');
      },
      { timeoutMs: 30_000 },
    );
  });

  it('a post in a script the router does not know still becomes a report', async () => {
    const amharic = citizenPost('የመንገድ መብራት ተበላሽቷል @DKIJakarta', { extra: { lang: 'am' } });
    const undetermined = citizenPost('@DKIJakarta 🚧🚧🕳️', { extra: { lang: 'und' } });
    await place(amharic);
    await place(undetermined);
    expect((await reportOf(amharic.post.id)).text).toBe('የመንገድ መብራት ተበላሽቷል @DKIJakarta');
    expect((await reportOf(undetermined.post.id)).text).toBe('@DKIJakarta 🚧🚧🕳️');
  });

  it('overlapping pages of a backlog create each report once, and every page is read', async () => {
    api.pageSize = 2;
    api.overlap = true;
    try {
      await running.stop();
      const backlog = [1, 2, 3, 4, 5].map((n) => citizenPost(`Saluran air mampet nomor ${n} @DKIJakarta`));
      for (const p of backlog) api.mention(p);
      const from = api.served.length;
      running = await runChannel(twitter, envFor(api, db, { TWITTER_SEARCH_QUERIES: '' }), logger);
      received = await collectEvents(running.context.bus, 'aduan.complaint.received.v1');
      for (const p of backlog) await reportOf(p.post.id);
      const pages = api.served.slice(from).filter((s) => s.source === 'mentions' && s.ids.length);
      expect(pages.length).toBeGreaterThanOrEqual(3); // 5 posts, 2 a page, one repeated each time
      // The outbox worker may already hold some replies in flight, which a flush then skips.
      await running.flushOutbox();
      await eventually(() => {
        for (const p of backlog) expect(api.replies.filter((r) => r.inReplyTo === p.post.id)).toHaveLength(1);
      });
      const reports = received.filter((e) => backlog.some((p) => e.source.id === `post:${p.post.id}`));
      expect(new Set(reports.map((e) => e.reportId)).size).toBe(5);
    } finally {
      api.pageSize = 100;
      api.overlap = false;
    }
  });
});
