export * from './core/crm';
export * from './core/events';
export * from './core/identity';
export * from './core/notifications';
export * from './data-source';
export * from './migrate';
export * from './schemas';
export * from './workflow';
