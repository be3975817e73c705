import { runChannel, type RunningChannel } from '@aduan/channel-sdk';
import type { ComplaintFollowUp, ComplaintReceived } from '@aduan/contracts';
import {
  capturedLogger,
  collectEvents,
  createTestDatabase,
  eventually,
  testEnv,
  uniqueTopicPrefix,
  type TestDatabase,
} from '@aduan/testing';
import sharp from 'sharp';
import { twitter } from '../src/twitter';
import { citizenDm, citizenPost, CITY, CREDENTIALS, newId, startXApi, type XApi } from './x-api-stand-in';

const DEPUTY = '@WagubJakarta';

/** The mentions, a search and the DMs of the city's account (its id given), read every second. */
describe('channel-twitter: rate limits, refused credentials and direct messages', () => {
  let api: XApi;
  let db: TestDatabase;
  let running: RunningChannel;
  let received: ComplaintReceived[];
  let followUps: ComplaintFollowUp[];
  const { logger } = capturedLogger('channel-twitter');
  const ready = () => fetch(`http://127.0.0.1:${running.port}/health/ready`);

  beforeAll(async () => {
    [db, api] = await Promise.all([createTestDatabase('twitter_limits'), startXApi()]);
    running = await runChannel(
      twitter,
      {
        ...CREDENTIALS,
        TWITTER_PORT: '0',
        TWITTER_ACCOUNT_ID: CITY.id,
        TWITTER_SEARCH_QUERIES: `deputy=${DEPUTY}`,
        TWITTER_API_BASE_URL: api.url,
        TWITTER_POLL_INTERVAL_SECONDS: '1',
        TWITTER_RETRY_MAX_SECONDS: '1',
        DATABASE_URL: db.url,
        KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
        KAFKA_TOPIC_PREFIX: uniqueTopicPrefix(),
      },
      logger,
    );
    received = await collectEvents(running.context.bus, 'aduan.complaint.received.v1');
    followUps = await collectEvents(running.context.bus, 'aduan.complaint.followup.v1');
  });
  afterAll(async () => {
    await running?.stop();
    await api?.close();
    await db?.drop();
  });

  const reported = (sourceId: string) => received.filter((e) => e.source.id === sourceId);

  it('a 429 is waited out until x-rate-limit-reset, never asked again before, and then nothing is missed', async () => {
    const reset = Math.ceil(Date.now() / 1000) + 3;
    const from = api.served.length;
    api.rateLimitUntil(reset);
    const posts = [1, 2, 3].map((n) => citizenPost(`Genangan air nomor ${n} di Jl. Sudirman @DKIJakarta`));
    for (const p of posts) api.mention(p);
    await eventually(
      () => {
        for (const p of posts) expect(reported(`post:${p.post.id}`).length).toBeGreaterThan(0);
      },
      { timeoutMs: 30_000 },
    );
    const mentions = api.served.slice(from).filter((s) => s.source === 'mentions');
    const limited = mentions.findIndex((s) => s.status === 429);
    expect(limited).toBeGreaterThanOrEqual(0);
    // Not hammered: after X said 429, the next request waited for the reset.
    expect(mentions.filter((s) => s.status === 429)).toHaveLength(1);
    expect(mentions.slice(limited + 1).every((s) => s.at >= reset * 1000)).toBe(true);
    for (const p of posts) {
      expect(new Set(reported(`post:${p.post.id}`).map((e) => e.reportId)).size).toBe(1);
      await eventually(() => expect(api.replies.filter((r) => r.inReplyTo === p.post.id)).toHaveLength(1));
    }
  });

  it('refused credentials make the adapter not ready, naming the account, and it recovers by itself', async () => {
    api.credentialsWork = false;
    await eventually(async () => {
      const res = await ready();
      expect(res.status).toBe(503);
      const body = (await res.json()) as { checks: Record<string, { status: string; error?: string }> };
      expect(body.checks['x-credentials']?.status).toBe('failing');
      expect(body.checks['x-credentials']?.error).toContain(`account ${CITY.id}`);
    });
    const meanwhile = citizenPost('Parkir liar di trotoar Jl. Sabang @DKIJakarta');
    api.mention(meanwhile);
    // Still serving while it waits for new credentials: no crash, no restart loop.
    expect((await fetch(`http://127.0.0.1:${running.port}/health/live`)).status).toBe(200);
    const asked = api.served.length;
    await new Promise((r) => setTimeout(r, 2500));
    expect(api.served.slice(asked).some((s) => s.status === 401)).toBe(true);
    api.credentialsWork = true;
    await eventually(async () => expect((await ready()).status).toBe(200), { timeoutMs: 20_000 });
    await eventually(() => expect(reported(`post:${meanwhile.post.id}`).length).toBeGreaterThan(0), {
      timeoutMs: 20_000,
    });
  });

  it('a search whose saved position X no longer keeps starts again from what X keeps, and misses none of it', async () => {
    const old = citizenPost(`${DEPUTY} trotoar rusak di Jl. Thamrin`);
    api.searchResult(DEPUTY, old);
    await eventually(() => expect(reported(`post:${old.post.id}`).length).toBeGreaterThan(0), {
      timeoutMs: 20_000,
    });
    // Seven days later, as far as X is concerned: the saved since_id is older than it keeps.
    const from = api.served.length;
    const fresh = citizenPost(`${DEPUTY} halte bus rusak di Jl. Thamrin`);
    api.searchKeepsFrom = BigInt(fresh.post.id);
    api.searchResult(DEPUTY, fresh);
    await eventually(() => expect(reported(`post:${fresh.post.id}`).length).toBeGreaterThan(0), {
      timeoutMs: 20_000,
    });
    expect(api.served.slice(from).some((s) => s.source === `search:${DEPUTY}` && s.status === 400)).toBe(
      true,
    );
    expect(new Set(reported(`post:${old.post.id}`).map((e) => e.reportId)).size).toBe(1);
  });

  it('a DM becomes a report answered by DM; the same citizen writing again adds to it, photos included; the city’s own DMs are not read as complaints', async () => {
    const sender = { id: newId(), name: 'Rina', username: 'rina_jkt' };
    const dm = (text: string, from = sender) => citizenDm(text, from);
    const first = dm('Air PAM tidak mengalir sejak kemarin di RT 05 RW 02 Tebet');
    api.dm(first);
    await eventually(() => expect(reported(`dm:${first.event.id}`).length).toBeGreaterThan(0), {
      timeoutMs: 20_000,
    });
    const report = reported(`dm:${first.event.id}`)[0]!;
    expect(await running.keptContact(report)).toMatchObject({ handle: '@rina_jkt' });
    await eventually(() => {
      const ack = api.dmsSent.filter((d) => d.to === sender.id);
      expect(ack).toHaveLength(1);
      expect(ack[0]!.text).toContain(report.trackingCode);
    });
    // A photo sent by DM is fetched with the account's credentials and kept.
    const jpeg = await sharp({ create: { width: 24, height: 16, channels: 3, background: '#27ae60' } })
      .jpeg()
      .toBuffer();
    const url = api.photo(
      '1.1/ton/data/dm/1582838223345836036/1582838223345836036/abc.jpg',
      jpeg,
      'image/jpeg',
      'ton',
    );
    const withPhoto = dm('Ini fotonya');
    withPhoto.event.attachments = { media_keys: ['3_1582838223345836036'] };
    withPhoto.includes = {
      ...withPhoto.includes,
      media: [{ media_key: '3_1582838223345836036', type: 'photo', url }],
    };
    api.dm(withPhoto);
    await eventually(
      () => {
        const added = followUps.filter((f) => f.source.id === `dm:${withPhoto.event.id}`);
        expect(added).toHaveLength(1);
        expect(added[0]!.attachments).toHaveLength(1);
        expect(added[0]!.attachments[0]!.contentType).toBe('image/jpeg');
      },
      { timeoutMs: 20_000 },
    );
    const own = dm('Terima kasih, laporan Anda kami teruskan.', CITY);
    const second = dm('Sekarang airnya keruh');
    api.dm(own);
    api.dm(second);
    await eventually(
      () => {
        const added = followUps.filter((f) => f.source.id === `dm:${second.event.id}`);
        expect(added).toHaveLength(1);
        expect(added[0]!.reportId).toBe(report.reportId);
      },
      { timeoutMs: 20_000 },
    );
    expect(reported(`dm:${own.event.id}`)).toHaveLength(0);
    expect(reported(`dm:${second.event.id}`)).toHaveLength(0);
  });
});

describe('channel-twitter: an account id that is not the access token’s', () => {
  it('reads nothing and is not ready, saying which ids differ', async () => {
    const [db, api] = await Promise.all([createTestDatabase('twitter_mismatch'), startXApi()]);
    const running = await runChannel(
      twitter,
      {
        ...CREDENTIALS,
        TWITTER_PORT: '0',
        TWITTER_ACCOUNT_ID: '1700000000000000999',
        TWITTER_API_BASE_URL: api.url,
        TWITTER_POLL_INTERVAL_SECONDS: '1',
        TWITTER_RETRY_MAX_SECONDS: '1',
        DATABASE_URL: db.url,
        KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
        KAFKA_TOPIC_PREFIX: uniqueTopicPrefix(),
      },
      capturedLogger('channel-twitter').logger,
    );
    try {
      await eventually(async () => {
        const res = await fetch(`http://127.0.0.1:${running.port}/health/ready`);
        expect(res.status).toBe(503);
        expect(await res.text()).toContain(
          `TWITTER_ACCOUNT_ID 1700000000000000999 is not the account of TWITTER_ACCESS_TOKEN (${CITY.id})`,
        );
      });
      expect(api.served.filter((s) => s.source !== 'me')).toHaveLength(0);
    } finally {
      await running.stop();
      await api.close();
      await db.drop();
    }
  });
});
