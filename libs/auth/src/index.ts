export { Actor, type ActorKind, type DataScope, DATA_SCOPES } from '@app/contracts';
export * from './credentials/request-credentials';
export * from './guard/auth.guard';
export * from './guard/decorators';
export * from './guard/principal';
export * from './password/password-hasher';
export * from './permissions/permissions';
export * from './scope/data-scope';
export * from './tokens/access-token.service';
