/**
 * A broker that has just started (or restarted) answers for a while with conditions that
 * pass by themselves: connections refused, no leader elected for a new partition, the group
 * coordinator still loading. kafkajs marks most of them `retriable`; the wrappers it throws
 * after its own retries (`KafkaJSNumberOfRetriesExceeded`, aggregate errors) carry the
 * original underneath.
 */
const RETRIABLE_NAMES = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
  'KafkaJSMetadataNotLoaded',
  'KafkaJSTopicMetadataNotLoaded',
  'KafkaJSLockTimeout',
  'KafkaJSStaleTopicMetadataAssignment',
  'LeadersNotElected',
]);

const RETRIABLE_TYPES = new Set([
  'UNKNOWN_TOPIC_OR_PARTITION',
  'LEADER_NOT_AVAILABLE',
  'NOT_LEADER_FOR_PARTITION',
  'NOT_LEADER_OR_FOLLOWER',
  'COORDINATOR_LOAD_IN_PROGRESS',
  'COORDINATOR_NOT_AVAILABLE',
  'NOT_COORDINATOR',
  'NOT_CONTROLLER',
  'REQUEST_TIMED_OUT',
  'NETWORK_EXCEPTION',
  'REBALANCE_IN_PROGRESS',
  'KAFKA_STORAGE_ERROR',
]);

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
]);

/** Thrown while a topic exists but some of its partitions have no leader yet. */
export class LeadersNotElected extends Error {
  constructor(partitions: string[]) {
    super(`no leader yet for ${partitions.slice(0, 5).join(', ')}${partitions.length > 5 ? ', …' : ''}`);
    this.name = 'LeadersNotElected';
  }
}

function nested(err: object): unknown[] {
  const e = err as { originalError?: unknown; cause?: unknown; errors?: unknown };
  return [e.originalError, e.cause, ...(Array.isArray(e.errors) ? e.errors : [])].filter(Boolean);
}

/** True when the broker is expected to accept the same request shortly. */
export function isKafkaStarting(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 6) return false;
  const e = err as { name?: string; type?: string; code?: string; retriable?: boolean };
  if (e.retriable === true) return true;
  if (e.name && RETRIABLE_NAMES.has(e.name)) return true;
  if (e.type && RETRIABLE_TYPES.has(e.type)) return true;
  if (e.code && NETWORK_CODES.has(e.code)) return true;
  return nested(err).some((inner) => isKafkaStarting(inner, depth + 1));
}
