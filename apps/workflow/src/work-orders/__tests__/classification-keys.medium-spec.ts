import {
  ClassificationRefCommand,
  SaveWorkOrderCategoryCommand,
  SaveWorkOrderTypeCommand,
  WorkflowPattern,
} from '@app/contracts';
import { toErrorAnswer } from '@app/common';
import { WorkOrderClassificationKeys1796494257128 } from '@app/database/workflow/migrations/1796494257128-WorkOrderClassificationKeys';
import { makeActor } from '@app/testing';
import { startWorkflowMedium, type WorkflowMedium } from '../../__tests__/workflow-medium';
import { ClassificationRepository } from '../classification.repository';

/**
 * A work order's category and type are held by the database itself (foreign keys), not only by the
 * application's in-use checks and row locks: a row written past them (another path, a check that
 * raced or was missed) cannot name a category or type that does not exist, and one in use cannot go.
 */
describe('work-order category and type keys (medium)', () => {
  let m: WorkflowMedium;
  let key: string;
  const creator = makeActor({ id: '30' });

  beforeAll(async () => {
    m = await startWorkflowMedium('classification_keys');
    key = (await m.workflow.definition([{ id: 'handle', assignee: '30' }])).key;
  });
  afterAll(() => m?.stop());
  afterEach(() => jest.restoreAllMocks());

  const category = (name: string) =>
    m.call(
      WorkflowPattern.WorkOrderCategorySave,
      SaveWorkOrderCategoryCommand.create({ name, actor: m.workflow.admin }),
    );
  const type = (name: string) =>
    m.call(
      WorkflowPattern.WorkOrderTypeSave,
      SaveWorkOrderTypeCommand.create({ name, actor: m.workflow.admin }),
    );
  const refused = async (work: Promise<unknown>) => {
    const error = await work.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeDefined();
    return toErrorAnswer(error, 'en');
  };
  /** A work order row written straight to the table, past every check of the application. */
  const insertOrder = (column: 'category_id' | 'type_id', id: string) =>
    m.dataSource.query(
      `INSERT INTO workflow.work_order (number, title, system_id, definition_key, created_by, ${column})
       VALUES ('raw-' || floor(random() * 1e12)::text, 'raw', 's', $2, '30', $1::bigint) RETURNING id`,
      [id, key],
    ) as Promise<{ id: string }[]>;

  it('a category in use is refused (409 CATEGORY_IN_USE) also when the in-use check misses the order', async () => {
    const used = await category('in use');
    await m.workflow.workOrder(key, creator, { categoryId: used.id });
    jest.spyOn(m.app.get(ClassificationRepository), 'isCategoryUsed').mockResolvedValue(false);
    const answer = await refused(
      m.call(
        WorkflowPattern.WorkOrderCategoryDelete,
        ClassificationRefCommand.create({ id: used.id, actor: m.workflow.admin }),
      ),
    );
    expect([answer.status, answer.body.code, answer.body.reason]).toEqual([409, 4090, 'CATEGORY_IN_USE']);
    const [row] = (await m.dataSource.query(
      `SELECT count(*)::int AS n FROM workflow.work_order_category WHERE id = $1`,
      [used.id],
    )) as { n: number }[];
    expect(row!.n).toBe(1);
  });

  it('a type in use is refused (409 TYPE_IN_USE) also when the in-use check misses the order', async () => {
    const used = await type('in use');
    await insertOrder('type_id', used.id);
    jest.spyOn(m.app.get(ClassificationRepository), 'isTypeUsed').mockResolvedValue(false);
    const answer = await refused(
      m.call(
        WorkflowPattern.WorkOrderTypeDelete,
        ClassificationRefCommand.create({ id: used.id, actor: m.workflow.admin }),
      ),
    );
    expect([answer.status, answer.body.code, answer.body.reason]).toEqual([409, 4090, 'TYPE_IN_USE']);
  });

  it('an unused category and type still delete', async () => {
    const free = await category('free');
    await expect(
      m.call(
        WorkflowPattern.WorkOrderCategoryDelete,
        ClassificationRefCommand.create({ id: free.id, actor: m.workflow.admin }),
      ),
    ).resolves.toEqual({ deleted: true });
    const freeType = await type('free');
    await expect(
      m.call(
        WorkflowPattern.WorkOrderTypeDelete,
        ClassificationRefCommand.create({ id: freeType.id, actor: m.workflow.admin }),
      ),
    ).resolves.toEqual({ deleted: true });
  });

  it.each([
    ['category_id', 'categoryId'],
    ['type_id', 'typeId'],
  ] as const)(
    'a row naming an unknown %s is refused by the database: 4101 naming %s',
    async (column, field) => {
      const answer = await refused(insertOrder(column, '987654321'));
      expect([answer.status, answer.body.code]).toEqual([400, 4101]);
      expect(answer.body.errors).toEqual([expect.objectContaining({ field })]);
    },
  );

  it('the migration clears ids of orders that already name a deleted category or type, and keeps the others', async () => {
    const migration = new WorkOrderClassificationKeys1796494257128();
    const runner = m.dataSource.createQueryRunner();
    try {
      await migration.down(runner);
      const kept = await category('kept');
      const [withKept] = await insertOrder('category_id', kept.id);
      const [orphanCategory] = await insertOrder('category_id', '987654321');
      const [orphanType] = await insertOrder('type_id', '987654322');
      await migration.up(runner);
      const rows = (await m.dataSource.query(
        `SELECT id::text, category_id::text, type_id::text FROM workflow.work_order WHERE id = ANY($1::bigint[]) ORDER BY id`,
        [[withKept!.id, orphanCategory!.id, orphanType!.id]],
      )) as { id: string; category_id: string | null; type_id: string | null }[];
      expect(rows).toEqual([
        { id: String(withKept!.id), category_id: kept.id, type_id: null },
        { id: String(orphanCategory!.id), category_id: null, type_id: null },
        { id: String(orphanType!.id), category_id: null, type_id: null },
      ]);
      // the keys hold again
      await expect(insertOrder('category_id', '987654321')).rejects.toMatchObject({ code: '23503' });
    } finally {
      await runner.release();
    }
  });
});
