export * from './engine-step';
export * from './http';
export * from './metrics';
export * from './pool';
export * from './tracing';
export * from './query-counter';
