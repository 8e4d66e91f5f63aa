import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** A running instance that may wait for a message (raw row; its definition's XML to check the wait). */
export interface MessageCandidate {
  id: string;
  definition_id: string;
  xml: string;
  active_elements: string[];
}

/** The subscription look-ups of global BPMN events; each runs in the delivering transaction. */
@Injectable()
export class BpmnEventsRepository {
  /** Running instances matching the business key and correlation keys (either may be absent). */
  runningCandidates(
    manager: EntityManager,
    businessKey: string | null,
    correlationKeys: Record<string, unknown> | null,
  ): Promise<MessageCandidate[]> {
    return manager.query(
      `SELECT i.id, i.definition_id, d.xml, i.active_elements FROM workflow.process_instance i
         JOIN workflow.process_definition d ON d.id = i.definition_id
        WHERE i.status = 'running'
          AND ($1::varchar IS NULL OR i.business_key = $1)
          AND ($2::jsonb IS NULL OR i.variables @> $2::jsonb)
        ORDER BY i.id`,
      [businessKey, correlationKeys ? JSON.stringify(correlationKeys) : null],
    );
  }

  /** The id of the newest version of every definition key. */
  async latestDefinitionIds(manager: EntityManager): Promise<string[]> {
    const latest: Array<{ id: string }> = await manager.query(
      `SELECT DISTINCT ON (key) id, suspended FROM workflow.process_definition ORDER BY key, version DESC`,
    );
    return latest.map(({ id }) => String(id));
  }
}
