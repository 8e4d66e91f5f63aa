export * from './app-process';
export * from './free-port';
export * from './http-client';
export * from './stack';
export * from './test-database';
export * from './identity';
export * from './nats';
export * from './metrics';
