export * from './rate-limits';
export * from './too-many-requests';
export * from './sender-limit';
export * from './in-flight';
