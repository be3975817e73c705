import { defineChannel, runChannel, type RunOptions } from '@aduan/channel-sdk';
import { createLogger, officerVerifierFromSettings, type Logger } from '@aduan/platform';
import { CANDIDATE_DEPS, CandidatesController, type CandidateDeps } from './candidates/candidates.controller';
import { NewsCandidates } from './candidates/news-candidates';
import { massMediaSettings } from './config';
import { parseFeedList } from './feeds/feed-list';
import { feedPoll } from './feeds/feed-poll';
import { NewsFilter } from './feeds/news-filter';

/**
 * Mass media: news portals' RSS and Atom feeds, read on an interval. An item that names a
 * complaint's subject and a Jakarta place waits as a candidate until a CRM officer promotes it
 * to a report (channel `media`, the article as its source) or dismisses it. Nobody is answered.
 */
export const massMedia = defineChannel({
  service: 'channel-media',
  channels: ['media'],
  settings: massMediaSettings,
  port: 'NEWS_PORT',
  preflight: (config) => void parseFeedList(config.NEWS_FEEDS ?? []),
  async setup(ctx) {
    const { config, logger } = ctx;
    await NewsCandidates.migrate(config.DATABASE_URL, logger, config.STARTUP_WAIT_SECONDS * 1000);
    const candidates = new NewsCandidates(ctx.store.db);
    const feeds = parseFeedList(config.NEWS_FEEDS ?? []);
    const poll = feeds.length
      ? feedPoll({
          feeds,
          filter: new NewsFilter(config.NEWS_KEYWORDS),
          candidates,
          intervalMs: config.NEWS_POLL_INTERVAL_SECONDS * 1000,
          timeoutMs: config.NEWS_FEED_TIMEOUT_MS,
          maxBytes: config.NEWS_FEED_MAX_BYTES,
          metrics: ctx.metrics,
        })
      : null;
    if (feeds.length)
      logger.info('reading news feeds', {
        feeds: feeds.map((f) => f.name),
        keywords: config.NEWS_KEYWORDS.length,
      });
    const deps: CandidateDeps = {
      candidates,
      intake: ctx.intake,
      officerKeys: officerVerifierFromSettings(config, logger),
      log: logger.child({ component: 'candidates' }),
    };
    return {
      polls: poll ? [poll.ingress] : [],
      ...(poll ? { health: poll.health } : {}),
      api: { controllers: [CandidatesController], providers: [{ provide: CANDIDATE_DEPS, useValue: deps }] },
      urls: (base) => [`${base}/v1/officer/news/candidates`, `${base}/health/ready`],
    };
  },
});

export const startChannelMedia = (
  env: NodeJS.ProcessEnv = process.env,
  logger: Logger = createLogger(massMedia.service),
  options?: RunOptions,
) => runChannel(massMedia, env, logger, options);
