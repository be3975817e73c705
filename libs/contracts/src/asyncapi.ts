import { TOPIC_NAMES, TOPICS, deadLetterTopic, type TopicName } from './topic-map';

/** Who writes and who reads each topic: documentation only, the code does not depend on it. */
const ROLES: Partial<Record<TopicName, { summary: string; producers: string; consumers: string }>> = {
  'aduan.complaint.received.v1': {
    summary: 'A complaint a channel adapter received, normalized, with its report id and tracking code',
    producers: 'channel adapters (channel-*)',
    consumers: 'router, status',
  },
  'aduan.complaint.followup.v1': {
    summary:
      'More from the citizen about an existing report (a reply, a message within the conversation window); no reporter data',
    producers: 'channel adapters (channel-email, channel-whatsapp)',
    consumers: 'status (officers only; never on the public timeline)',
  },
  'aduan.complaint.routed.v1': {
    summary: "The router's decision: outcome, category, area, responsible unit, duplicate of, reasons, rule",
    producers: 'router',
    consumers: 'status',
  },
  'aduan.report.lifecycle.v1': {
    summary: 'Every transition of a report, in the order it was recorded',
    producers: 'status (through its outbox)',
    consumers: 'router (closes incidents), channel-jaki (push to the app), downstream apps',
  },
  'aduan.report.state.v1': {
    summary: 'The latest state of each report; log-compacted, so the newest record per report id wins',
    producers: 'status (through its outbox)',
    consumers: 'downstream apps and dashboards',
  },
  'aduan.notification.v1': {
    summary: 'A message for one citizen, delivered once by the adapter of its channel',
    producers: 'status (through its outbox)',
    consumers: 'the adapter of the channel named in the message',
  },
  'aduan.reporter.erased.v1': {
    summary:
      "A reporter was erased at their request: the adapter of the report's channel deletes the sealed contact's key, the reply book entry and the conversation's address",
    producers: 'status (through its outbox)',
    consumers: 'the adapter of the channel named in the event (the channel kit)',
  },
};

const CLOUD_EVENTS_HEADERS = {
  type: 'object',
  required: ['ce_specversion', 'ce_id', 'ce_source', 'ce_type'],
  properties: {
    ce_specversion: { type: 'string', const: '1.0' },
    ce_id: { type: 'string', description: 'Unique per event; consumers may use it to drop repeats' },
    ce_source: { type: 'string', description: 'The producing service, e.g. /aduan/router' },
    ce_type: { type: 'string' },
    ce_time: { type: 'string', format: 'date-time' },
    ce_subject: {
      type: 'string',
      description: 'The report id (the notification id on aduan.notification.v1)',
    },
    'content-type': { type: 'string', const: 'application/json' },
  },
} as const;

function camel(topic: string): string {
  return topic
    .replace(/^aduan\./, '')
    .replace(/\.v\d+$/, '')
    .split(/[.-]/)
    .map((p, i) => (i === 0 ? p : p[0]!.toUpperCase() + p.slice(1)))
    .join('');
}

/**
 * The AsyncAPI 3.0 description of every topic, built from the same topic map and JSON
 * Schemas that publish and consume validate against, so it cannot drift from the code.
 */
export function buildAsyncApi(): Record<string, unknown> {
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const messages: Record<string, unknown> = {};
  for (const topic of TOPIC_NAMES) {
    const spec = TOPICS[topic];
    const id = camel(topic);
    const roles = ROLES[topic];
    const { $id: _id, ...payload } = spec.schema as { $id?: string };
    messages[id] = {
      name: spec.eventType,
      title: roles?.summary ?? topic,
      contentType: 'application/json',
      headers: {
        ...CLOUD_EVENTS_HEADERS,
        properties: {
          ...CLOUD_EVENTS_HEADERS.properties,
          ce_type: { type: 'string', const: spec.eventType },
        },
      },
      payload,
      bindings: {
        kafka: {
          key: {
            type: 'string',
            description: 'The report id: every event of a report stays in order on one partition',
          },
        },
      },
    };
    channels[id] = {
      address: topic,
      description: [
        roles?.summary,
        roles ? `Written by ${roles.producers}; read by ${roles.consumers}.` : undefined,
        spec.compacted ? 'Log-compacted.' : undefined,
        `Events that can never be handled go to ${deadLetterTopic(topic)} with the original headers and dlq_* headers giving the reason.`,
      ]
        .filter(Boolean)
        .join(' '),
      messages: { [id]: { $ref: `#/components/messages/${id}` } },
      bindings: {
        kafka: {
          topic,
          ...(spec.compacted ? { topicConfiguration: { 'cleanup.policy': ['compact'] } } : {}),
        },
      },
    };
    operations[`publish${id[0]!.toUpperCase()}${id.slice(1)}`] = {
      action: 'send',
      channel: { $ref: `#/channels/${id}` },
      ...(roles ? { summary: `Published by ${roles.producers}` } : {}),
    };
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Aduan events',
      version: '1.0.0',
      description:
        'Kafka topics of Aduan. CloudEvents 1.0 in binary mode: attributes in ce_* headers, the record value is the JSON payload. ' +
        'Consumers ignore unknown fields; a breaking change is a new .v2 topic.',
    },
    defaultContentType: 'application/json',
    servers: {
      local: {
        host: '127.0.0.1:9092',
        protocol: 'kafka',
        description: 'The development broker (KAFKA_BROKERS)',
      },
    },
    channels,
    operations,
    components: { messages },
  };
}
