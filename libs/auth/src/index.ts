export { Actor, type ActorKind, type DataScope, DATA_SCOPES } from '@app/contracts';
export * from './password/password-hasher';
