export * from './actor';
export * from './commands/command';
export * from './commands/system.command';
export * from './errors/error-code';
export * from './messages/workflow-contract';
export * from './messages/workflow-pattern';
