import type { RunningChannel } from '@aduan/channel-sdk';
import { capturedLogger, eventually } from '@aduan/testing';
import { startChannelMedia } from '../services/channel-media/src/media';
import { fixture, rss, startFeedServer, type FeedServer } from '../services/channel-media/test/feed-server';
import { candidateApi } from '../services/channel-media/test/support';
import { ADMIN, publicReport, startStack } from './stack';

describe('a news item end to end: feed → candidate → promoted by an officer → router → public tracking', () => {
  let stack: Awaited<ReturnType<typeof startStack>>;
  let portal: FeedServer;
  let media: RunningChannel;

  beforeAll(async () => {
    stack = await startStack('e2e_media');
    portal = await startFeedServer({ '/rss/megapolitan': rss(fixture('warta-ibukota-rss.xml')) });
    const env = {
      ...stack.env,
      NEWS_PORT: '0',
      NEWS_FEEDS: `Warta Ibukota=${portal.url}/rss/megapolitan`,
      NEWS_POLL_INTERVAL_SECONDS: '1',
      // Tokens the status service signs are verified with its public keys (ADR 0057).
      OFFICER_JWKS_URL: `${stack.statusUrl}/.well-known/jwks.json`,
    };
    media = await startChannelMedia(env, capturedLogger('channel-media').logger);
  });
  afterAll(async () => {
    await media?.stop();
    await portal?.close();
    await stack?.stop();
  });

  it('"banjir di Kampung Melayu" waits as a candidate; promoted, it is routed to kelurahan Kampung Melayu', async () => {
    // The officer signs in at the status service, as the console does, and uses that token here.
    const signIn = await fetch(`${stack.statusUrl}/v1/officer/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    const { accessToken } = (await signIn.json()) as { accessToken: string };
    const api = candidateApi(`http://127.0.0.1:${media.port}`, accessToken);

    const flood = await eventually(async () => {
      const found = (await api.list()).find((c) => c.title.includes('Kampung Melayu'));
      if (!found) throw new Error('no candidate yet');
      return found;
    });
    expect(flood.place).toEqual({ kode: '31.75.03.1001', nama: 'Kampung Melayu', level: 'kelurahan' });

    const promoted = await api.promote(flood.id);
    expect(promoted.status).toBe(200);
    const trackingCode = promoted.body['trackingCode'] as string;

    const report = await eventually(async () => {
      const r = await publicReport(stack.statusUrl, trackingCode);
      if (!r['routing']) throw new Error('not routed yet');
      return r;
    });
    expect(report).toMatchObject({
      trackingCode,
      channel: 'media',
      routing: 'ROUTED',
      area: {
        kelurahan: { kode: '31.75.03.1001', nama: 'Kampung Melayu' },
        kecamatan: { kode: '31.75.03' },
        kota: { kode: '31.75' },
      },
    });
  });
});
