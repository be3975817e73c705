import { randomUUID } from 'node:crypto';
import { TOPICS, type TopicMap, type TopicName } from './topic-map';

/**
 * CloudEvents 1.0 in Kafka binary mode: attributes travel as `ce_*` headers and the record
 * value is the JSON data alone, so consumers that know nothing of CloudEvents still read it.
 */
export interface CloudEventAttributes {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  time: string;
  subject?: string;
  datacontenttype: 'application/json';
}

export type KafkaHeaders = Record<string, string>;

export function cloudEventHeaders<T extends TopicName>(
  topic: T,
  payload: TopicMap[T],
  opts: { source: string; id?: string; time?: Date },
): KafkaHeaders {
  const spec = TOPICS[topic];
  return {
    ce_specversion: '1.0',
    ce_id: opts.id ?? randomUUID(),
    ce_source: opts.source,
    ce_type: spec.eventType,
    ce_time: (opts.time ?? new Date()).toISOString(),
    ce_subject: spec.subject(payload),
    'content-type': 'application/json',
  };
}

export class MalformedEnvelope extends Error {
  readonly code = 'MALFORMED_ENVELOPE';
}

export function readCloudEventHeaders(topic: TopicName, headers: KafkaHeaders): CloudEventAttributes {
  const missing = ['ce_specversion', 'ce_id', 'ce_source', 'ce_type'].filter((h) => !headers[h]);
  if (missing.length) throw new MalformedEnvelope(`missing CloudEvents headers: ${missing.join(', ')}`);
  if (headers['ce_specversion'] !== '1.0')
    throw new MalformedEnvelope(`unsupported ce_specversion ${headers['ce_specversion']}`);
  const expected = TOPICS[topic].eventType;
  if (headers['ce_type'] !== expected)
    throw new MalformedEnvelope(`ce_type ${headers['ce_type']} is not ${expected}`);
  return {
    specversion: '1.0',
    id: headers['ce_id']!,
    source: headers['ce_source']!,
    type: headers['ce_type']!,
    time: headers['ce_time'] ?? new Date(0).toISOString(),
    subject: headers['ce_subject'],
    datacontenttype: 'application/json',
  };
}
