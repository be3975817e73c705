export * from './environment';
export * from './eventually';
export * from './captured-logger';
export * from './event-collector';
