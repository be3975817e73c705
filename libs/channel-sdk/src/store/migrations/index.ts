import { ChannelStore1764400000000 } from './1764400000000-channel-store';
import { ConversationPerReport1764400000001 } from './1764400000001-conversation-per-report';
import { FollowUpThreadAndPlace1764400000002 } from './1764400000002-follow-up-thread-and-place';
import { OutboxIdempotencyQuarantine1764700000000 } from './1764700000000-outbox-idempotency-quarantine';
import { Media1764700000001 } from './1764700000001-media';
import { StatusChecks1764900000000 } from './1764900000000-status-checks';
import { ReplyBook1765100000000 } from './1765100000000-reply-book';
import { ReporterBook1765200000000 } from './1765200000000-reporter-book';
import { AwaitedAnswers1765810000000 } from './1765810000000-awaited-answers';

/** In the order they apply, under the migrations table `channel_sdk_migrations`. */
export const channelStoreMigrations = [
  ChannelStore1764400000000,
  ConversationPerReport1764400000001,
  FollowUpThreadAndPlace1764400000002,
  OutboxIdempotencyQuarantine1764700000000,
  Media1764700000001,
  StatusChecks1764900000000,
  ReplyBook1765100000000,
  ReporterBook1765200000000,
  AwaitedAnswers1765810000000,
];
