export * from './report-identity';
export * from './complaint-intake';
export * from './settings';
