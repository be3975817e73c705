import { NewsCandidates1764900000000 } from './1764900000000-news-candidates';

/** channel-media's own tables, under `channel_media_migrations`, apart from the channel kit's. */
export const newsCandidateMigrations = [NewsCandidates1764900000000];
export const NEWS_CANDIDATE_MIGRATIONS_TABLE = 'channel_media_migrations';
