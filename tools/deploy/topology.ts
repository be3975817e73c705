import { TOPIC_NAMES, type TopicName } from '@aduan/contracts';

/**
 * Who talks to which topic: the one declaration that the KafkaUser ACLs, the KEDA triggers and
 * the NetworkPolicies are rendered from. topology.spec.ts reads the services' code and fails when
 * this map and the code disagree, so an ACL can neither lag behind a new publish nor outlive a
 * removed one.
 */
export interface ServiceTopology {
  /** Topics the service publishes to. */
  produces: TopicName[];
  /** Consumer groups (as named in the code) and the topics each one reads. */
  consumes: Record<string, TopicName[]>;
  /** Topics the service checks at start-up (EventBus.ensureTopics): it must see them and their DLQs. */
  ensures: TopicName[];
}

/** What every adapter on the channel kit does through runChannel, named per service. */
function channelKit(service: string, extra: Partial<ServiceTopology> = {}): ServiceTopology {
  const kitEnsures: TopicName[] = [
    'aduan.complaint.received.v1',
    'aduan.complaint.followup.v1',
    'aduan.notification.v1',
    'aduan.delivery.outcome.v1',
    'aduan.reporter.erased.v1',
  ];
  return {
    produces: [
      'aduan.complaint.received.v1',
      'aduan.complaint.followup.v1',
      'aduan.delivery.outcome.v1',
      ...(extra.produces ?? []),
    ],
    consumes: {
      [`aduan.${service}.notifications`]: ['aduan.notification.v1'],
      [`aduan.${service}.reporter-erasures`]: ['aduan.reporter.erased.v1'],
      ...extra.consumes,
    },
    ensures: [...new Set([...kitEnsures, ...(extra.ensures ?? [])])],
  };
}

export const TOPOLOGY: Record<string, ServiceTopology> = {
  'channel-email': channelKit('channel-email'),
  'channel-jaki': channelKit('channel-jaki', {
    consumes: { 'aduan.channel-jaki.push': ['aduan.report.lifecycle.v1'] },
    ensures: ['aduan.report.lifecycle.v1'],
  }),
  'channel-lapor': channelKit('channel-lapor', {
    consumes: {
      'aduan.channel-lapor.entries': ['aduan.complaint.received.v1'],
      'aduan.channel-lapor.status': ['aduan.report.lifecycle.v1'],
    },
    ensures: ['aduan.report.lifecycle.v1'],
  }),
  'channel-media': channelKit('channel-media'),
  'channel-meta': channelKit('channel-meta'),
  'channel-officer': channelKit('channel-officer'),
  'channel-open311': channelKit('channel-open311'),
  'channel-telegram': channelKit('channel-telegram'),
  'channel-twitter': channelKit('channel-twitter'),
  'channel-whatsapp': channelKit('channel-whatsapp'),
  router: {
    produces: ['aduan.complaint.routed.v1'],
    consumes: { 'aduan.router': ['aduan.complaint.received.v1', 'aduan.report.lifecycle.v1'] },
    ensures: ['aduan.complaint.received.v1', 'aduan.complaint.routed.v1', 'aduan.report.lifecycle.v1'],
  },
  status: {
    produces: [
      'aduan.report.lifecycle.v1',
      'aduan.report.state.v1',
      'aduan.notification.v1',
      'aduan.reporter.erased.v1',
    ],
    consumes: {
      'aduan.status.intake': [
        'aduan.complaint.received.v1',
        'aduan.complaint.routed.v1',
        'aduan.complaint.followup.v1',
        'aduan.delivery.outcome.v1',
      ],
    },
    // It creates or checks every topic of the contracts.
    ensures: [...TOPIC_NAMES],
  },
  // The web server reads the status service over HTTP only.
  web: { produces: [], consumes: {}, ensures: [] },
};

export function consumedTopics(t: ServiceTopology): TopicName[] {
  return [...new Set(Object.values(t.consumes).flat())];
}

/** `npm run dlq`: reads dead letters, replays them to their topic, records and trims what it replayed. */
export const DLQ_READER_GROUP_PREFIX = 'aduan-dlq-reader-';
