// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeGateway, ok, pointConsoleAt } from './fake-gateway';

const task = (id: string) => ({ id, name: `task ${id}`, status: 'open', candidates: [] });

describe('useWorkbench', () => {
  let gateway: FakeGateway;
  beforeEach(() => {
    gateway = new FakeGateway();
  });
  afterEach(() => gateway.stop());

  it('lists the active scope with the filters and counts the other three under the same filters', async () => {
    const totals: Record<string, number> = { todo: 12, claimable: 3, done: 40, copied: 1 };
    gateway.on('GET', '/api/v1/workflow/tasks', (req, _body, res) => {
      const q = new URL(req.url!, 'http://x').searchParams;
      const scope = q.get('scope')!;
      const size = Number(q.get('pageSize'));
      ok(res, {
        total: totals[scope],
        pageNum: Number(q.get('pageNum')),
        pageSize: size,
        rows: Array.from({ length: Math.min(size, totals[scope]!) }, (_, i) => task(`${scope}-${i}`)),
      });
    });
    pointConsoleAt(await gateway.start());
    vi.resetModules();
    const { useWorkbench, taskQuery } = await import('@/composables/useWorkbench');
    const wb = useWorkbench('todo');
    wb.filters.processName = ' 请假 ';
    wb.filters.started = ['2026-12-01', '2026-12-02'];
    await wb.search();

    expect(wb.rows.value).toHaveLength(10);
    expect(wb.total.value).toBe(12);
    expect({ ...wb.counts }).toEqual(totals);
    const queries = gateway.calls.map((c) => c.path);
    expect(queries).toHaveLength(4);
    expect(taskQuery('done', wb.filters, 2, 20)).toEqual({
      scope: 'done',
      pageNum: 2,
      pageSize: 20,
      processName: '请假',
      startedFrom: '2026-12-01 00:00:00',
      startedTo: '2026-12-02 23:59:59',
    });

    await wb.load(2);
    expect(wb.rows.value).toHaveLength(10);
    expect(wb.page.pageNum).toBe(2);
    await wb.switchTo('claimable');
    expect(wb.rows.value.map((r) => r.id)).toEqual(['claimable-0', 'claimable-1', 'claimable-2']);
    expect(wb.page.pageNum).toBe(1);
  });

  it('keeps scope, filters and page in the address: a reload opens the same page of the same list', async () => {
    const asked: string[] = [];
    gateway.on('GET', '/api/v1/workflow/tasks', (req, _body, res) => {
      const q = new URL(req.url!, 'http://x').searchParams;
      if (q.get('pageSize') !== '1') asked.push(q.toString());
      ok(res, {
        total: 45,
        pageNum: Number(q.get('pageNum')),
        pageSize: Number(q.get('pageSize')),
        rows: [],
      });
    });
    pointConsoleAt(await gateway.start());
    vi.resetModules();
    const { useWorkbench, workbenchFromQuery, workbenchToQuery } = await import('@/composables/useWorkbench');
    const first = useWorkbench('todo');
    await first.switchTo('done');
    first.filters.processName = '请假';
    first.filters.category = 'hr';
    first.filters.started = ['2026-12-01', '2026-12-05'];
    await first.search();
    first.page.pageSize = 20;
    await first.load(3);
    const query = workbenchToQuery(first.state());
    expect(query).toEqual({
      scope: 'done',
      process: '请假',
      category: 'hr',
      from: '2026-12-01',
      to: '2026-12-05',
      page: '3',
      size: '20',
    });

    // the reload: a new workbench from the address asks for the very same list
    asked.length = 0;
    const again = useWorkbench(workbenchFromQuery(query));
    await again.open();
    expect(asked).toHaveLength(1);
    expect(Object.fromEntries(new URLSearchParams(asked[0]))).toMatchObject({
      scope: 'done',
      pageNum: '3',
      pageSize: '20',
      processName: '请假',
      category: 'hr',
    });
    expect(workbenchToQuery(again.state())).toEqual(query);

    // the plain address stays plain; a hand-edited one falls back to defaults, never to a broken call
    expect(workbenchToQuery(workbenchFromQuery({}))).toEqual({});
    expect(workbenchFromQuery({ scope: 'nope', page: '-2', size: '7', from: 'x', to: '2026-12-05' })).toEqual(
      {
        scope: 'todo',
        filters: { processName: '', category: '', started: null },
        pageNum: 1,
        pageSize: 10,
      },
    );
  });
});
