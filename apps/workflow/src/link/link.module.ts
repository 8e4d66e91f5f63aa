import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { createValidationPipe } from '@app/common';
import { LinkServerState } from './link-server';
import { LinkSecretGuard } from './link.guard';
import { LinkInterceptor } from './link.interceptor';
import { WorkflowExceptionFilter } from './workflow-exception.filter';

/** What every message on the link passes (validation, the link secret, timing and its request id, coded errors, the envelope); the transport's state. */
@Module({
  providers: [
    { provide: APP_PIPE, useFactory: createValidationPipe },
    { provide: APP_FILTER, useClass: WorkflowExceptionFilter },
    { provide: APP_GUARD, useClass: LinkSecretGuard },
    { provide: APP_INTERCEPTOR, useClass: LinkInterceptor },
    LinkServerState,
  ],
  exports: [LinkServerState],
})
export class LinkModule {}
