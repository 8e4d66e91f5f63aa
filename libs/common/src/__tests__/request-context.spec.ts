import type { CallHandler, ExecutionContext } from '@nestjs/common';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { defer, firstValueFrom, of } from 'rxjs';
import { ErrorCode, type RpcErrorPayload } from '@app/contracts';
import { AppException } from '../exceptions/app.exception';
import { toErrorAnswer } from '../exceptions/error-envelope';
import { RpcExceptionFilter } from '../exceptions/rpc-exception.filter';
import { pinoOptions } from '../logging/logger-options';
import {
  currentRequestId,
  LinkRequestContextInterceptor,
  runInRequestContext,
} from '../logging/request-context';

const rpcContext = (data: unknown) => {
  const host = new ExecutionContextHost([data, { getPattern: () => 'workflow.job.list' }]);
  host.setType('rpc');
  return host;
};

describe('request id and error id across the link', () => {
  it('runs a link command under the request id of its meta, and nothing else under it', async () => {
    const interceptor = new LinkRequestContextInterceptor();
    const handler: CallHandler = { handle: () => defer(() => of(currentRequestId())) };
    const seen = await firstValueFrom(
      interceptor.intercept(
        rpcContext({ meta: { requestId: 'req-1' }, body: {} }) as ExecutionContext,
        handler,
      ),
    );
    expect(seen).toBe('req-1');
    expect(currentRequestId()).toBeUndefined();
    const without = interceptor.intercept(rpcContext({ body: {} }) as ExecutionContext, handler);
    expect(await firstValueFrom(without)).toBeUndefined();
  });

  it('adds the request id to every log line written while it is served', () => {
    const mixin = (pinoOptions('gateway', 'info', false).pinoHttp as { mixin: () => object }).mixin;
    expect(mixin()).toEqual({});
    expect(runInRequestContext({ requestId: 'req-2' }, mixin)).toEqual({ requestId: 'req-2' });
  });

  it('answers an unexpected workflow failure with a fresh error id, which the gateway keeps', async () => {
    const filter = new RpcExceptionFilter();
    const host = rpcContext({ meta: { requestId: 'req-3' }, body: {} });
    const payload = await new Promise<RpcErrorPayload>((resolve) =>
      filter.catch(new Error('relation "workflow.job" does not exist'), host).subscribe({ error: resolve }),
    );
    expect(payload).toMatchObject({ code: ErrorCode.Internal, reason: 'INTERNAL', msg: 'internal error' });
    expect(payload.errorId).toMatch(/^[0-9a-f-]{36}$/);
    // the gateway's client turns the payload into this exception; the envelope keeps the same id
    const relayed = new AppException(
      payload.code,
      payload.reason,
      payload.msg,
      payload.errors,
      payload.errorId,
    );
    expect(toErrorAnswer(relayed, 'en')).toMatchObject({
      status: 500,
      body: { code: ErrorCode.Internal, errorId: payload.errorId },
    });
    const local = toErrorAnswer(new Error('boom'), 'en').body.errorId;
    expect(local).toMatch(/^[0-9a-f-]{36}$/);
    expect(local).not.toBe(payload.errorId);
  });
});
