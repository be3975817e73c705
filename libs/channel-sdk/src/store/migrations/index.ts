import { ChannelStore1764400000000 } from './1764400000000-channel-store';

/** In the order they apply, under the migrations table `channel_sdk_migrations`. */
export const channelStoreMigrations = [ChannelStore1764400000000];
