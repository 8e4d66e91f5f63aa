// @vitest-environment node
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeGateway, ok, send, pointConsoleAt } from './fake-gateway';

const page = (rows: unknown[]) => ({ total: rows.length, pageNum: 1, pageSize: 100, rows });

describe('the process designer’s directory', () => {
  let gateway: FakeGateway;
  afterEach(() => gateway.stop());

  it('asks only for the lists the designer may read: no roles without role:read', async () => {
    gateway = new FakeGateway()
      .on('GET', '/api/v1/forms', (_req, _body, res) => ok(res, page([{ formKey: 'leave', name: '请假单' }])))
      .on('GET', '/api/v1/groups', (_req, _body, res) => ok(res, page([{ id: '3', name: '人事组' }])))
      .on('GET', '/api/v1/roles', (_req, _body, res) =>
        send(res, 403, { code: 4001, msg: 'missing permission role:read', data: null }),
      );
    pointConsoleAt(await gateway.start());
    vi.resetModules();
    const { FlowdeskDirectory } = await import('@/design/directory');
    const directory = new FlowdeskDirectory();
    const held = new Set(['workflow:deploy', 'group:read']);
    await directory.load((code) => held.has(code));

    expect(gateway.calls.map((c) => c.path).sort()).toEqual(['/api/v1/forms', '/api/v1/groups']);
    expect(directory.forms).toEqual([{ value: 'leave', label: '请假单 (leave)' }]);
    expect(directory.groups).toEqual([{ value: 'group:3', label: '人事组' }]);
  });
});
