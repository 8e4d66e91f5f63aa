export * from './actor';
export * from './bpmn';
export * from './directory';
export * from './workflow';
