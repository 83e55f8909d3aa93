export * from './backoff';
export * from './cursor';
export * from './mutations';
export * from './plan';
export * from './protocol';
export * from './replica';
