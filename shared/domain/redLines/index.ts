export * from './defaults';
export * from './normalize';
export * from './matcher';
