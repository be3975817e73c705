export * from './event-bus';
export * from './consumer-runner';
export * from './errors';
export { backoffDelay, sleep } from './backoff';
export * from './from-config';
