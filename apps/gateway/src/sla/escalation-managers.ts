import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/**
 * Who an overdue task escalates to: the manager of the holder's department, or of the nearest
 * ancestor department whose manager is someone else and enabled (a manager's own overdue task goes to
 * their superior). A task nobody holds escalates from the initiator's department: the person who asked
 * for the work is the one whose chain of command owns the delay.
 */
@Injectable()
export class EscalationManagers {
  async managerAbove(manager: EntityManager, staffRef: string): Promise<string | null> {
    const rows: { manager_id: string }[] = await manager.query(
      `WITH RECURSIVE member AS (
         SELECT id, department_id FROM core.staff
          WHERE (id::text = $1 OR account = $1) AND status = 'enabled' LIMIT 1
       ), chain AS (
         SELECT d.id, d.parent_id, d.manager_id, 0 AS depth
           FROM core.departments d JOIN member m ON d.id = m.department_id
         UNION ALL
         SELECT p.id, p.parent_id, p.manager_id, c.depth + 1
           FROM core.departments p JOIN chain c ON p.id = c.parent_id
          WHERE c.depth < 32
       )
       SELECT c.manager_id::text AS manager_id
         FROM chain c JOIN core.staff s ON s.id = c.manager_id
        WHERE s.status = 'enabled' AND s.id <> (SELECT id FROM member)
        ORDER BY c.depth LIMIT 1`,
      [staffRef],
    );
    return rows[0]?.manager_id ?? null;
  }
}
