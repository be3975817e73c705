export * from './event-bus';
export { DEFAULT_BATCHING, type BatchingOptions, type RecordAck } from './coalescing-publisher';
export * from './consumer-runner';
export * from './errors';
export { backoffDelay, sleep } from '@aduan/platform';
export * from './from-config';
export * from './kafka-readiness';
export * from './kafka-security';
export * from './dlq';
