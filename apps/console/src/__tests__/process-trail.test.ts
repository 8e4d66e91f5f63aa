// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { nodeDetails, processTrail, returnedNodes } from '@/composables/useProcessTrail';

const h = (elementId: string, elementType: string, enteredAt: string, leftAt: string | null, extra = {}) => ({
  elementId,
  executionId: `${elementId}_${enteredAt}`,
  elementType,
  elementName: { apply: '填写申请', approve: '部门审批', split: null }[elementId] ?? null,
  taskId: null as string | null,
  actorId: null as string | null,
  enteredAt,
  leftAt,
  outcome: leftAt ? ('completed' as const) : null,
  ...extra,
});

describe('processTrail', () => {
  const history = [
    h('approve', 'userTask', '2026-12-01T01:10:00Z', '2026-12-01T02:00:00Z', { taskId: '11', actorId: '3' }),
    h('apply', 'userTask', '2026-12-01T01:00:00Z', '2026-12-01T01:10:00Z', { taskId: '10', actorId: '2' }),
    h('split', 'exclusiveGateway', '2026-12-01T01:10:00Z', '2026-12-01T01:10:00Z'),
    h('apply', 'userTask', '2026-12-01T02:00:00Z', null, { taskId: '12', actorId: '2' }),
  ];
  const comments = [
    {
      id: '1',
      taskId: '11',
      type: 'return',
      actorId: '3',
      message: '天数请写清楚',
      createdAt: '2026-12-01T02:00:00Z',
    },
    { id: '2', taskId: '10', type: 'normal', actorId: '2', message: '', createdAt: '2026-12-01T01:10:00Z' },
  ];

  it('lists people-facing nodes in time order with who, how long, state and comments', () => {
    const trail = processTrail({ history, comments });
    expect(trail.map((e) => [e.node, e.state, e.duration])).toEqual([
      ['填写申请', 'completed', '10m 0s'],
      ['部门审批', 'returned', '50m 0s'],
      ['填写申请', 'open', ''],
    ]);
    expect(trail[1]!.comments).toEqual([
      { type: 'return', actorId: '3', message: '天数请写清楚', at: '2026-12-01T02:00:00Z' },
    ]);
    expect(returnedNodes(trail)).toEqual(['approve']);
  });

  it('gives each node hover lines from its latest passage, with names', () => {
    const details = nodeDetails(
      processTrail({ history, comments }),
      { who: '处理人', entered: '到达', left: '完成', comment: '意见' },
      (id) => ({ '2': '张三', '3': '李四' })[id ?? ''] ?? String(id),
    );
    expect(details.approve!.lines).toEqual([
      '处理人: 李四',
      '到达: 2026-12-01 09:10:00',
      '完成: 2026-12-01 10:00:00 (50m 0s)',
      '意见: 天数请写清楚',
    ]);
    expect(details.apply!.lines).toEqual(['处理人: 张三', '到达: 2026-12-01 10:00:00']);
  });
});
