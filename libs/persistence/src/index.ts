export * from './ensure-database';
export * from './data-source';
export * from './transient';
export * from './coalescing-writer';
