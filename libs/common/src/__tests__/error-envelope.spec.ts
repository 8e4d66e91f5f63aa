import { BadRequestException, HttpException, NotFoundException } from '@nestjs/common';
import { ErrorCode } from '@app/contracts';
import { AppException } from '../exceptions/app.exception';
import { toErrorAnswer } from '../exceptions/error-envelope';
import { languageOf } from '../exceptions/messages';

describe('toErrorAnswer', () => {
  it('maps a domain exception to its code, HTTP status and field errors', () => {
    const answer = toErrorAnswer(AppException.invalid([{ field: 'name', reason: 'name is required' }]), 'en');
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      code: ErrorCode.InvalidParameter,
      msg: 'invalid parameter',
      data: null,
      reason: 'INVALID_PARAMETER',
      errors: [{ field: 'name', reason: 'name is required' }],
    });
  });

  it('maps conflicts to 409/4090 and keeps the feature reason', () => {
    const answer = toErrorAnswer(AppException.conflict('TASK_ALREADY_COMPLETED', 'task 7 is done'), 'zh');
    expect(answer.status).toBe(409);
    expect(answer.body).toMatchObject({
      code: 4090,
      reason: 'TASK_ALREADY_COMPLETED',
      msg: '数据已被修改或任务已被处理: task 7 is done',
    });
  });

  it('maps Nest HTTP exceptions by status', () => {
    expect(toErrorAnswer(new NotFoundException(), 'en').body).toMatchObject({
      code: 404,
      reason: 'NOT_FOUND',
    });
    expect(toErrorAnswer(new HttpException('slow down', 429), 'en').status).toBe(429);
    expect(toErrorAnswer(new BadRequestException('nope'), 'en').body.code).toBe(ErrorCode.WrongCall);
  });

  it('unwraps Fastify body errors carried as the cause', () => {
    const cause = Object.assign(new Error('Request body is too large'), {
      code: 'FST_ERR_CTP_BODY_TOO_LARGE',
      statusCode: 413,
    });
    const answer = toErrorAnswer(new HttpException(cause.message, 413, { cause }), 'en');
    expect(answer.status).toBe(413);
    expect(answer.body.code).toBe(ErrorCode.PayloadTooLarge);
  });

  it('hides internals of unknown errors behind an error id', () => {
    const secret = new Error('password=hunter2 at db.internal:5432');
    const answer = toErrorAnswer(secret, 'en');
    expect(answer.status).toBe(500);
    expect(answer.body.code).toBe(ErrorCode.Internal);
    expect(answer.body.errorId).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.stringify(answer.body)).not.toContain('hunter2');
    expect(answer.internal).toBe(secret);
  });

  it('reports database errors as 5003 without their SQL', () => {
    const error = Object.assign(new Error('relation "core.x" does not exist'), { name: 'QueryFailedError' });
    const answer = toErrorAnswer(error, 'en');
    expect(answer.body.code).toBe(ErrorCode.DatabaseFailure);
    expect(JSON.stringify(answer.body)).not.toContain('core.x');
  });

  it.each([
    [
      'a refused connection',
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
    ],
    [
      'a database not accepting connections',
      Object.assign(new Error('database "x" is not currently accepting connections'), { code: '55000' }),
    ],
    [
      'an administrator shutdown',
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
    ],
    ['a dropped connection', new Error('Connection terminated unexpectedly')],
  ])('reports %s as 5003 / HTTP 503', (_what, error) => {
    const answer = toErrorAnswer(error, 'en');
    expect(answer.body.code).toBe(ErrorCode.DatabaseFailure);
    expect(answer.status).toBe(503);
    expect(answer.body.msg).not.toContain('5432');
  });

  it('keeps other 55000 errors internal', () => {
    const error = Object.assign(new Error('cannot drop a column in use'), { code: '55000' });
    expect(toErrorAnswer(error, 'en').body.code).toBe(ErrorCode.Internal);
  });
});

describe('languageOf', () => {
  it.each([
    [undefined, 'zh'],
    ['zh-CN,zh;q=0.9', 'zh'],
    ['en', 'en'],
    ['en-GB,en;q=0.8', 'en'],
    [['en-US'], 'en'],
  ])('%p → %s', (header, language) => {
    expect(languageOf(header as string | string[] | undefined)).toBe(language);
  });
});
