export * from './sniff';
export * from './media-refused';
export * from './checks';
export * from './media-store';
export * from './fetch-media';
export * from './media-http';
export * from './media-settings';
