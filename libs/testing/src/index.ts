export * from './environment';
export * from './eventually';
export * from './captured-logger';
export * from './event-collector';
export * from './recording-server';
export * from './smtp-sink';
export * from './channel-conformance';
export * from './service-process';
