export * from './flags';
export * from './gbk';
export * from './ids';
export * from './types';
