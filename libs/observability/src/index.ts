export * from './http';
export * from './metrics';
export * from './pool';
