import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { stillReferencedBy } from '@app/common';
import { WorkOrderCategoryEntity, WorkOrderEntity, WorkOrderTypeEntity } from '@app/database';

/** Work-order types and the category tree (workflow.work_order_type, workflow.work_order_category). */
@Injectable()
export class ClassificationRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Runs `work` in a transaction of its own. */
  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  typePage(pageNum: number, pageSize: number): Promise<[WorkOrderTypeEntity[], number]> {
    return this.dataSource.manager.findAndCount(WorkOrderTypeEntity, {
      order: { sortOrder: 'ASC', id: 'ASC' },
      skip: (pageNum - 1) * pageSize,
      take: pageSize,
    });
  }

  findType(id: string): Promise<WorkOrderTypeEntity | null> {
    return this.dataSource.getRepository(WorkOrderTypeEntity).findOneBy({ id });
  }

  newType(): WorkOrderTypeEntity {
    return this.dataSource.getRepository(WorkOrderTypeEntity).create({ sortOrder: 0 });
  }

  saveType(type: WorkOrderTypeEntity): Promise<WorkOrderTypeEntity> {
    return this.dataSource.getRepository(WorkOrderTypeEntity).save(type);
  }

  /**
   * Locks the type for its delete: a work order being created with it holds it shared
   * (WorkOrdersRepository.findType) until it commits, so the delete's in-use check sees that order.
   */
  lockTypeForDelete(manager: EntityManager, id: string): Promise<WorkOrderTypeEntity | null> {
    return manager.findOne(WorkOrderTypeEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  isTypeUsed(manager: EntityManager, id: string): Promise<boolean> {
    return manager.existsBy(WorkOrderEntity, { typeId: id });
  }

  /** Deletes the type; false when a work order still names it (the foreign key refused the delete). */
  deleteType(manager: EntityManager, id: string): Promise<boolean> {
    return unlessReferenced(manager.getRepository(WorkOrderTypeEntity).delete({ id }), 'fk_work_order_type');
  }

  categories(): Promise<WorkOrderCategoryEntity[]> {
    return this.dataSource.manager.find(WorkOrderCategoryEntity, { order: { sortOrder: 'ASC', id: 'ASC' } });
  }

  /**
   * Runs a change of the category tree in a transaction holding the tree's lock, so its checks (the
   * parent exists and is not below the node, no children, not in use) see every change committed
   * before it: checked apart, a delete and a new child of the same category left an orphan.
   */
  treeChange<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('workflow.work_order_category:tree'))`);
      return work(manager);
    });
  }

  findCategory(manager: EntityManager, id: string): Promise<WorkOrderCategoryEntity | null> {
    return manager.getRepository(WorkOrderCategoryEntity).findOneBy({ id });
  }

  /**
   * Locks the category for its delete: a work order being created in it holds it shared
   * (WorkOrdersRepository.findCategory) until it commits, so the delete's in-use check sees that order.
   */
  lockCategoryForDelete(manager: EntityManager, id: string): Promise<WorkOrderCategoryEntity | null> {
    return manager.findOne(WorkOrderCategoryEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  newCategory(): WorkOrderCategoryEntity {
    return this.dataSource.getRepository(WorkOrderCategoryEntity).create({ sortOrder: 0 });
  }

  categoryExists(manager: EntityManager, id: string): Promise<boolean> {
    return manager.getRepository(WorkOrderCategoryEntity).existsBy({ id });
  }

  /** Whether `categoryId` is `parentId` or one of its ancestors (so the move would make a cycle). */
  async isAncestorOrSelf(manager: EntityManager, categoryId: string, parentId: string): Promise<boolean> {
    const [{ cycle }] = (await manager.query(
      `WITH RECURSIVE up AS (SELECT id, parent_id FROM workflow.work_order_category WHERE id = $1
         UNION ALL SELECT c.id, c.parent_id FROM workflow.work_order_category c JOIN up ON c.id = up.parent_id)
       SELECT (count(*) FILTER (WHERE id = $2) > 0) AS cycle, count(*) AS n FROM up`,
      [parentId, categoryId],
    )) as { cycle: boolean }[];
    return cycle;
  }

  saveCategory(manager: EntityManager, category: WorkOrderCategoryEntity): Promise<WorkOrderCategoryEntity> {
    return manager.getRepository(WorkOrderCategoryEntity).save(category);
  }

  hasChildren(manager: EntityManager, id: string): Promise<boolean> {
    return manager.getRepository(WorkOrderCategoryEntity).existsBy({ parentId: id });
  }

  isCategoryUsed(manager: EntityManager, id: string): Promise<boolean> {
    return manager.existsBy(WorkOrderEntity, { categoryId: id });
  }

  /** Deletes the category; false when a work order still names it (the foreign key refused the delete). */
  deleteCategory(manager: EntityManager, id: string): Promise<boolean> {
    return unlessReferenced(
      manager.getRepository(WorkOrderCategoryEntity).delete({ id }),
      'fk_work_order_category',
    );
  }
}

/** True once `deleted` ran; false when `constraint` refused it because a work order refers to the row. */
async function unlessReferenced(deleted: Promise<unknown>, constraint: string): Promise<boolean> {
  try {
    await deleted;
    return true;
  } catch (error) {
    if (stillReferencedBy(error) === constraint) return false;
    throw error;
  }
}
