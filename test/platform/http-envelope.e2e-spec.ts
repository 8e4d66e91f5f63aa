import { type EnvelopeBody, type HttpClient, loginAsAdmin, type Stack, startStack } from '@app/testing';

describe('gateway HTTP surface: envelope, errors, docs', () => {
  let stack: Stack;
  /** Signed in as the admin: every route but health, docs and login needs a token. */
  let api: HttpClient;

  beforeAll(async () => {
    stack = await startStack({ label: 'http_envelope' });
    api = (await loginAsAdmin(stack.http)).http;
  });
  afterAll(() => stack?.stop());

  it('wraps a success as {code:200,msg,data} and returns a correlation id header', async () => {
    const res = await api.get('/api/v1/workflow/ping?echo=hello');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ code: 200, msg: '成功', data: { app: 'workflow', echo: 'hello' } });
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends the security headers (helmet) on answers and on a 404', async () => {
    for (const res of [await api.get('/api/v1/me'), await api.get('/api/v1/no-such-thing')]) {
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(res.headers.get('content-security-policy')).toMatch(/^default-src 'self';/);
      expect(res.headers.get('strict-transport-security')).toBeNull();
    }
  });

  it('keeps a well-formed x-request-id from the caller and replaces a hostile one', async () => {
    const kept = await stack.http.get('/api/v1/health', { headers: { 'x-request-id': 'trace-abc.123' } });
    expect(kept.headers.get('x-request-id')).toBe('trace-abc.123');
    const replaced = await stack.http.get('/api/v1/health', {
      headers: { 'x-request-id': 'bad id\twith\ttabs' },
    });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers English messages with Accept-Language: en', async () => {
    const res = await api.get('/api/v1/workflow/ping', {
      headers: { 'accept-language': 'en-US,en;q=0.9' },
    });
    expect(res.body).toMatchObject({ code: 200, msg: 'ok' });
  });

  it('answers an unknown route with 404 in the envelope', async () => {
    const res = await api.get('/api/v1/no-such-thing');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ code: 404, msg: '资源不存在', data: null, reason: 'NOT_FOUND' });
  });

  it('answers invalid JSON with 4101 naming the body', async () => {
    const res = await api.request<EnvelopeBody>('POST', '/api/v1/workflow/ping', {
      rawBody: '{"broken": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe(4101);
    expect(res.body.errors).toEqual([{ field: 'body', reason: 'body is not valid JSON' }]);
  });

  it('answers an oversized body with 413 in the envelope', async () => {
    const res = await api.request<EnvelopeBody>('POST', '/api/v1/workflow/ping', {
      rawBody: JSON.stringify({ blob: 'x'.repeat(1024 * 1024 + 10) }),
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ code: 413, data: null });
  });

  it('answers what Node’s HTTP parser refuses (headers over 16 KiB) in the envelope, 4101 naming the part', async () => {
    const res = await api.get('/api/v1/me', { headers: { 'x-padding': 'x'.repeat(20_000) } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      code: 4101,
      data: null,
      errors: [expect.objectContaining({ field: 'headers' })],
    });
  });

  it('answers a validation failure with 4101, the field and why', async () => {
    const res = await api.get(`/api/v1/workflow/ping?echo=${'a'.repeat(201)}`, {
      headers: { 'accept-language': 'en' },
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      code: 4101,
      msg: 'invalid parameter',
      errors: [{ field: 'echo', reason: 'echo must be shorter than or equal to 200 characters' }],
    });
  });

  it('strips unknown query fields instead of binding them', async () => {
    const res = await api.get('/api/v1/workflow/ping?echo=x&isAdmin=true');
    expect(res.status).toBe(200);
    expect(res.body.data).not.toHaveProperty('isAdmin');
  });

  it('reports database and workflow link health', async () => {
    const res = await stack.http.get('/api/v1/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      code: 200,
      data: { status: 'ok', info: { database: { status: 'up' }, workflow: { status: 'up' } } },
    });
  });

  it('serves the OpenAPI document with envelope schemas and the Swagger UI', async () => {
    const json = await stack.http.get<{
      openapi: string;
      paths: Record<string, Record<string, { responses: Record<string, unknown>; tags?: string[] }>>;
    }>('/docs-json');
    expect(json.status).toBe(200);
    expect(json.body.openapi).toMatch(/^3\./);
    // each legacy system is a Swagger tag of its own (issue 8)
    const tags = new Set(
      Object.values(json.body.paths).flatMap((methods) =>
        Object.values(methods).flatMap((op) => op.tags ?? []),
      ),
    );
    for (const seed of ['000', '001', '002', '003', '004'])
      expect([...tags].filter((t) => t.startsWith(`legacy ${seed}:`))).toHaveLength(1);
    const ping = json.body.paths['/api/v1/workflow/ping'].get;
    expect(Object.keys(ping.responses)).toEqual(expect.arrayContaining(['200', '400', '503']));
    const ui = await stack.http.get('/docs');
    expect(ui.status).toBe(200);
    expect(ui.text).toContain('swagger-ui');
  });

  it('requires a token everywhere but health, docs and login', async () => {
    const res = await stack.http.get('/api/v1/workflow/ping');
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ code: 4004, reason: 'TOKEN_MISSING', data: null });
    expect((await stack.http.get('/api/v1/health')).status).toBe(200);
    expect((await stack.http.get('/docs-json')).status).toBe(200);
  });

  it('never leaks a stack trace or SQL in an error body', async () => {
    const res = await api.get('/api/v1/workflow/ping?echo=%00');
    expect(res.text).not.toMatch(/at \w+ \(|QueryFailedError|node_modules/);
  });
});
