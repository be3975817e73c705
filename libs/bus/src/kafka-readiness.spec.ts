import {
  KafkaJSAggregateError,
  KafkaJSConnectionError,
  KafkaJSError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSProtocolError,
} from 'kafkajs';
import { isKafkaStarting, LeadersNotElected } from './kafka-readiness';

// kafkajs builds protocol errors from the broker's error code; 3 is UNKNOWN_TOPIC_OR_PARTITION,
// "This server does not host this topic-partition", what a new topic answers before its leader.
const protocolError = (code: number) =>
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  new KafkaJSProtocolError(require('kafkajs/src/protocol/error').createErrorFromCode(code));

describe('isKafkaStarting', () => {
  it('waits for a broker that refuses connections or has not elected leaders yet', () => {
    expect(isKafkaStarting(new KafkaJSConnectionError('Connection error: connect ECONNREFUSED'))).toBe(true);
    expect(isKafkaStarting(protocolError(3))).toBe(true); // UNKNOWN_TOPIC_OR_PARTITION
    expect(isKafkaStarting(protocolError(5))).toBe(true); // LEADER_NOT_AVAILABLE
    expect(isKafkaStarting(protocolError(14))).toBe(true); // COORDINATOR_LOAD_IN_PROGRESS
    expect(isKafkaStarting(protocolError(15))).toBe(true); // COORDINATOR_NOT_AVAILABLE
    expect(isKafkaStarting(new LeadersNotElected(['aduan.complaint.routed.v1[2]']))).toBe(true);
  });

  it('looks beneath the wrappers kafkajs throws after its own retries', () => {
    const exhausted = new KafkaJSNumberOfRetriesExceeded(protocolError(3), {
      retryCount: 8,
      retryTime: 5000,
    });
    expect(exhausted.retriable).toBe(false);
    expect(isKafkaStarting(exhausted)).toBe(true);
    expect(isKafkaStarting(new KafkaJSAggregateError('createTopics', [protocolError(5)]))).toBe(true);
  });

  it('does not wait on a refusal that will not pass', () => {
    expect(isKafkaStarting(protocolError(29))).toBe(false); // TOPIC_AUTHORIZATION_FAILED
    expect(isKafkaStarting(protocolError(58))).toBe(false); // SASL_AUTHENTICATION_FAILED
    expect(isKafkaStarting(new KafkaJSError('invalid configuration', { retriable: false }))).toBe(false);
    expect(isKafkaStarting(new TypeError('x is undefined'))).toBe(false);
  });
});
