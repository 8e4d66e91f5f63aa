// @vitest-environment node
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeGateway, MemoryStorage, ok, pointConsoleAt, send } from './fake-gateway';

const pair = (n: number, mustChangePassword = false) => ({
  accessToken: `access-${n}`,
  refreshToken: `refresh-${n}`,
  tokenType: 'Bearer',
  expiresIn: 7200,
  expiresAt: '2026-12-03T12:00:00Z',
  refreshExpiresAt: '2026-12-17T12:00:00Z',
  staffId: '7',
  mustChangePassword,
});
const me = (mustChangePassword = false) => ({
  profile: { id: '7', account: 'lisi', realName: '李四' },
  menus: [],
  permissions: ['workflow:admin'],
  dataScope: 'own',
  departmentIds: [],
  mustChangePassword,
  applicationId: null,
});

async function boot(gateway: FakeGateway) {
  pointConsoleAt(await gateway.start());
  vi.resetModules();
  const { useSessionStore } = await import('@/stores/session');
  const { useServiceStore } = await import('@/stores/service');
  const { installTransportHooks } = await import('@/api/transport');
  const { api } = await import('@/api/client');
  setActivePinia(createPinia());
  const session = useSessionStore();
  const service = useServiceStore();
  const signedOut = vi.fn(() => session.clear());
  installTransportHooks({
    accessToken: () => session.accessToken,
    refresh: () => session.refresh(),
    signedOut,
    language: () => 'zh-CN',
    serviceStatus: (code, path) => service.report(code, path),
  });
  return { session, service, signedOut, api };
}

describe('session store', () => {
  let gateway: FakeGateway;
  let storage: MemoryStorage;
  beforeEach(() => {
    gateway = new FakeGateway();
    storage = new MemoryStorage();
    (globalThis as { localStorage?: unknown }).localStorage = storage;
  });
  afterEach(() => gateway.stop());

  it('signs in, loads the profile with the new token and keeps the session across reloads', async () => {
    gateway
      .on('POST', '/api/v1/auth/login', (_req, body, res) =>
        (body as { password: string }).password === 'right'
          ? ok(res, pair(1))
          : send(res, 401, { code: 4004, msg: '账号或密码错误', data: null }),
      )
      .on('GET', '/api/v1/me', (_req, _body, res) => ok(res, me()));
    const { session } = await boot(gateway);

    await expect(session.login('lisi', 'wrong')).rejects.toThrow('账号或密码错误');
    expect(session.signedIn).toBe(false);
    await session.login('lisi', 'right');
    expect(session.signedIn).toBe(true);
    expect(session.displayName).toBe('李四');
    expect(session.hasPermission('workflow:admin')).toBe(true);
    expect(session.hasPermission('crm:read')).toBe(false);
    expect(gateway.calls.find((c) => c.path === '/api/v1/me')?.authorization).toBe('Bearer access-1');
    expect(JSON.parse(storage.getItem('flowdesk.session')!)).toMatchObject({ refreshToken: 'refresh-1' });
  });

  it('refreshes once for concurrent 401s (refresh tokens are single-use) and retries both calls', async () => {
    let refreshes = 0;
    gateway
      .on('POST', '/api/v1/auth/login', (_req, _body, res) => ok(res, pair(1)))
      .on('GET', '/api/v1/me', (req, _body, res) =>
        req.headers.authorization === 'Bearer access-2' || refreshes === 0
          ? ok(res, me())
          : send(res, 401, { code: 4004, msg: 'expired', data: null }),
      )
      .on('POST', '/api/v1/auth/refresh', async (_req, body, res) => {
        refreshes += 1;
        await new Promise((r) => setTimeout(r, 50));
        if ((body as { refreshToken: string }).refreshToken !== 'refresh-1')
          return send(res, 401, { code: 4004, msg: 'replayed', data: null });
        ok(res, pair(2));
      })
      .on('GET', '/api/v1/inbox/unread-count', (req, _body, res) =>
        req.headers.authorization === 'Bearer access-2'
          ? ok(res, { unread: 3 })
          : send(res, 401, { code: 4004, msg: 'expired', data: null }),
      );
    const { session, api, signedOut } = await boot(gateway);
    await session.login('lisi', 'right');
    refreshes = 0;
    const [a, b] = await Promise.all([
      api.GET('/api/v1/inbox/unread-count'),
      api.GET('/api/v1/inbox/unread-count'),
    ]);
    expect(a.data?.data.unread).toBe(3);
    expect(b.data?.data.unread).toBe(3);
    expect(refreshes).toBe(1);
    expect(session.accessToken).toBe('access-2');
    expect(signedOut).not.toHaveBeenCalled();
  });

  it('signs out when the refresh token is refused, and never tries to refresh a failed sign-in', async () => {
    gateway
      .on('POST', '/api/v1/auth/login', (_req, _body, res) => ok(res, pair(1)))
      .on('GET', '/api/v1/me', (_req, _body, res) => ok(res, me()))
      .on('POST', '/api/v1/auth/refresh', (_req, _body, res) =>
        send(res, 401, { code: 4004, msg: 'revoked', data: null }),
      )
      .on('GET', '/api/v1/inbox/unread-count', (_req, _body, res) =>
        send(res, 401, { code: 4004, msg: 'revoked', data: null }),
      );
    const { session, api, signedOut } = await boot(gateway);
    await session.login('lisi', 'right');
    const answer = await api.GET('/api/v1/inbox/unread-count');
    expect(answer.response.status).toBe(401);
    expect(signedOut).toHaveBeenCalledTimes(1);
    expect(session.signedIn).toBe(false);
    expect(storage.getItem('flowdesk.session')).toBeNull();
  });

  it('a forced password change is surfaced, and changing it adopts the fresh session', async () => {
    gateway
      .on('POST', '/api/v1/auth/login', (_req, _body, res) => ok(res, pair(1, true)))
      .on('GET', '/api/v1/me', (req, _body, res) =>
        ok(res, me(req.headers.authorization !== 'Bearer access-9')),
      )
      .on('POST', '/api/v1/auth/password', (_req, _body, res) => ok(res, pair(9)));
    const { session } = await boot(gateway);
    await session.login('lisi', 'right');
    expect(session.mustChangePassword).toBe(true);
    await session.changePassword('right', 'N3w-password!');
    expect(session.mustChangePassword).toBe(false);
    expect(session.accessToken).toBe('access-9');
  });

  it('a 503 with code 5004 raises the banner; the next good answer clears it', async () => {
    let down = true;
    gateway.on('GET', '/api/v1/inbox/unread-count', (_req, _body, res) => ok(res, { unread: 0 }));
    gateway.on('GET', '/api/v1/workflow/categories', (_req, _body, res) =>
      down ? send(res, 503, { code: 5004, msg: '流程服务不可用', data: null }) : ok(res, []),
    );
    const { service, api } = await boot(gateway);
    const { unwrap, ApiError } = await import('@/api/errors');
    await expect((async () => unwrap(await api.GET('/api/v1/workflow/categories')))()).rejects.toBeInstanceOf(
      ApiError,
    );
    expect(service.unavailableCode).toBe(5004);
    // an answer that does not go through the workflow app says nothing about it
    await api.GET('/api/v1/inbox/unread-count');
    expect(service.unavailableCode).toBe(5004);
    down = false;
    await api.GET('/api/v1/workflow/categories');
    expect(service.unavailableCode).toBeNull();
  });
});
