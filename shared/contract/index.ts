export * from './api';
export * from './errors';
export * from './events';
export * from './methods';
export * from './logExport';
export * from './recovery';
export * from './accounts';
export * from './maintenance';
