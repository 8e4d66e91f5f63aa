import type { CallHandler, ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { lastValueFrom, of } from 'rxjs';
import { EnvelopeInterceptor } from '../envelope/envelope.interceptor';
import { JsonText } from '../link/json-text';

class SomeController {
  list(): void {}
}

/** Runs the envelope over `data` as an HTTP answer; what the handler gave, and the reply's content type. */
async function envelope(data: unknown, acceptLanguage?: string) {
  const headers: Record<string, string> = {};
  const reply = {
    type(value: string) {
      headers['content-type'] = value;
      return reply;
    },
  };
  const context = {
    getType: () => 'http',
    getHandler: () => SomeController.prototype.list,
    getClass: () => SomeController,
    switchToHttp: () => ({
      getRequest: () => ({ headers: acceptLanguage ? { 'accept-language': acceptLanguage } : {} }),
      getResponse: () => reply,
    }),
  } as unknown as ExecutionContext;
  const next: CallHandler = { handle: () => of(data) };
  const body = await lastValueFrom(new EnvelopeInterceptor(new Reflector()).intercept(context, next));
  return { body, contentType: headers['content-type'] };
}

describe('the envelope of an answer relayed as JSON text', () => {
  const page = {
    total: 1,
    rows: [{ id: '7', name: '审批 "A" \\ \u2028', dueAt: null, candidates: ['u:1'] }],
  };

  it.each([undefined, 'en', 'zh-CN'])(
    'is, byte for byte, what serializing the envelope of the value gives (Accept-Language %p)',
    async (language) => {
      const plain = await envelope(page, language);
      const relayed = await envelope(new JsonText(JSON.stringify(page)), language);
      expect(typeof relayed.body).toBe('string');
      expect(relayed.body).toBe(JSON.stringify(plain.body));
      // Fastify's own type for a serialized object; an object answer leaves it to Fastify
      expect(relayed.contentType).toBe('application/json; charset=utf-8');
      expect(plain.contentType).toBeUndefined();
    },
  );

  it('keeps a null answer null', async () => {
    expect((await envelope(new JsonText('null'))).body).toBe(JSON.stringify((await envelope(null)).body));
  });
});
