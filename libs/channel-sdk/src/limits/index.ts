export * from './rate-limits';
export * from './too-many-requests';
