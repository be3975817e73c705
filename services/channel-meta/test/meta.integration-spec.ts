import { runChannel, type RunningChannel } from '@aduan/channel-sdk';
import {
  capturedLogger,
  createTestDatabase,
  describeChannelConformance,
  testEnv,
  uniqueTopicPrefix,
  type ConformanceHarness,
} from '@aduan/testing';
import { meta } from '../src/meta';
import {
  APP_SECRET,
  deliver,
  directMessage,
  feedPost,
  graphStandIn,
  igComment,
  tokensFor,
  type GraphStandIn,
} from './graph-api-stand-in';

const CITY_PAGE = '1000000000001';
const GOVERNOR_PAGE = '1000000000002';
const CITY_INSTAGRAM = '17841400000000003';

/** How one source's citizens write, what the adapter can never read there, and where answers go. */
interface Source {
  channel: 'facebook' | 'messenger' | 'instagram';
  write(id: string, text: string): unknown;
  unreadable(id: string): unknown;
  addressOf(id: string): string;
}

const sources: Record<string, Source> = {
  "the city's Page feed": {
    channel: 'facebook',
    write: (id, text) => feedPost(CITY_PAGE, id, text),
    // A post without its id can never become a report.
    unreadable: (id) => feedPost(CITY_PAGE, id, `Jalan rusak ${id}`, { post_id: undefined }),
    addressOf: (id) => `${CITY_PAGE}_${id}`,
  },
  "the Governor's Messenger": {
    channel: 'messenger',
    write: (id, text) => directMessage('page', GOVERNOR_PAGE, `psid-${id}`, `m_${id}`, { text }),
    unreadable: (id) =>
      directMessage('page', GOVERNOR_PAGE, `psid-${id}`, undefined, { text: `Banjir ${id}` }),
    addressOf: (id) => `psid-${id}`,
  },
  "the city's Instagram comments": {
    channel: 'instagram',
    write: (id, text) => igComment(CITY_INSTAGRAM, `1790${id}`, { id: `igu-${id}`, username: 'warga' }, text),
    unreadable: (id) => igComment(CITY_INSTAGRAM, `1790${id}`, { username: 'warga' }, `Sampah ${id}`),
    addressOf: (id) => `1790${id}`,
  },
};

for (const [name, source] of Object.entries(sources)) {
  const harness = async (): Promise<ConformanceHarness<RunningChannel>> => {
    const [db, graph] = await Promise.all([createTestDatabase('meta'), graphStandIn()]);
    const { logger } = capturedLogger('channel-meta');
    const env: NodeJS.ProcessEnv = {
      META_PORT: '0',
      META_APP_SECRET: APP_SECRET,
      META_PAGES: tokensFor(CITY_PAGE, GOVERNOR_PAGE, CITY_INSTAGRAM),
      META_GRAPH_API_BASE_URL: graph.url,
      DATABASE_URL: db.url,
      KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: uniqueTopicPrefix(),
    };
    const g: GraphStandIn = graph;
    return {
      channel: source.channel,
      start: () => runChannel(meta, env, logger),
      deliver: (running, id, text) => deliver(running.port, source.write(id, text)),
      deliverForged: (running, id) =>
        deliver(running.port, source.write(id, `Palsu ${id}`), 'not-the-app-secret'),
      deliverUnreadable: (running, id) => deliver(running.port, source.unreadable(id)),
      sent: () => g.sent(),
      addressOf: source.addressOf,
      providerUp: (up) => {
        g.up = up;
      },
      close: async () => {
        await g.pictures.close();
        await g.close();
        await db.drop();
      },
    };
  };
  describe(`channel-meta: ${name} on the channel kit`, () => {
    describeChannelConformance(harness);
  });
}
