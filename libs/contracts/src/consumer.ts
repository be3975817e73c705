import { readCloudEventHeaders, type CloudEventAttributes, type KafkaHeaders } from './cloud-events';
import { isTopicName, type TopicMap, type TopicName } from './topic-map';
import { ContractViolation, validateEvent } from './validation';

/**
 * The topic names under short constants, for apps outside this repository: a typo in a
 * constant fails to compile, a typo in a string subscribes to a topic nobody writes.
 */
export const Topics = {
  complaintReceived: 'aduan.complaint.received.v1',
  complaintFollowUp: 'aduan.complaint.followup.v1',
  complaintRouted: 'aduan.complaint.routed.v1',
  reportLifecycle: 'aduan.report.lifecycle.v1',
  reportState: 'aduan.report.state.v1',
  notification: 'aduan.notification.v1',
  deliveryOutcome: 'aduan.delivery.outcome.v1',
  reporterErased: 'aduan.reporter.erased.v1',
} as const satisfies Record<string, TopicName>;

/** What a Kafka client hands over as a record value: kafkajs gives a Buffer, others a Uint8Array or text. */
export type RecordValue = Uint8Array | string | null | undefined;

/** Record headers as Kafka clients give them: values are bytes, text or lists of either. */
export type RecordHeaders = Record<string, Uint8Array | string | Array<Uint8Array | string> | undefined>;

/**
 * Parses a record value and validates it against the topic's JSON Schema. Fields the schema
 * does not name are kept and allowed, so an app built against this version goes on reading
 * events of a newer producer that added fields.
 * @throws ContractViolation when the value is not JSON or does not match the schema.
 */
export function decodeEvent<T extends TopicName>(topic: T, value: RecordValue): TopicMap[T] {
  if (value === null || value === undefined) throw new ContractViolation(topic, ['the record has no value']);
  const text = typeof value === 'string' ? value : Buffer.from(value).toString('utf8');
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    throw new ContractViolation(topic, ['the record value is not JSON']);
  }
  return validateEvent(topic, payload);
}

function headerText(value: RecordHeaders[string]): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  if (first === undefined) return undefined;
  return typeof first === 'string' ? first : Buffer.from(first).toString('utf8');
}

export interface DecodedMessage<T extends TopicName> {
  topic: T;
  /** The CloudEvents attributes from the `ce_*` headers; `id` is the one to drop repeats by. */
  attributes: CloudEventAttributes;
  event: TopicMap[T];
}

/**
 * Decodes one record as it arrives from a Kafka client: checks its CloudEvents headers (the
 * event type must be the topic's) and its value. `prefix` is the deployment's topic prefix
 * (`KAFKA_TOPIC_PREFIX`), if any.
 * @throws MalformedEnvelope on missing or foreign CloudEvents headers, ContractViolation on a bad value.
 */
export function decodeMessage(
  physicalTopic: string,
  message: { value: RecordValue; headers?: RecordHeaders },
  prefix = '',
): DecodedMessage<TopicName> {
  const topic = topicOf(physicalTopic, prefix);
  const headers: KafkaHeaders = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    const text = headerText(value);
    if (text !== undefined) headers[name] = text;
  }
  const attributes = readCloudEventHeaders(topic, headers);
  return { topic, attributes, event: decodeEvent(topic, message.value) };
}

/** The Kafka topic a deployment with this prefix writes `topic` to. */
export function physicalTopic(topic: TopicName, prefix = ''): string {
  return `${prefix}${topic}`;
}

/** The contract topic of a Kafka topic name of a deployment with this prefix. */
export function topicOf(physical: string, prefix = ''): TopicName {
  const name = physical.startsWith(prefix) ? physical.slice(prefix.length) : physical;
  if (!isTopicName(name)) throw new Error(`${physical} is not an Aduan topic of prefix "${prefix}"`);
  return name;
}

/** Narrows a decoded message to one topic, so a handler for several topics gets typed events. */
export function isMessageOf<T extends TopicName>(
  message: DecodedMessage<TopicName>,
  topic: T,
): message is DecodedMessage<T> {
  return message.topic === topic;
}
