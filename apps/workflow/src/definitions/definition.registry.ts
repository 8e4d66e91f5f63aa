import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { ErrorCode } from '@app/contracts';
import { ProcessDefinitionEntity } from '@app/database';
import { type CompileOptions, type CompiledDefinition, DefinitionCache } from '../engine';

/**
 * What this platform triggers: message start events (POST /workflow/messages). Signal and timer
 * start events stay refused at deploy until something starts them.
 */
export const COMPILE_OPTIONS: CompileOptions = { eventStarts: ['message'] };
import { WorkflowException, WorkflowReason } from '../common/workflow.exception';

/** Definition rows and their compiled form, compiled once per version (versions are immutable). */
@Injectable()
export class DefinitionRegistry {
  private readonly compiled = new DefinitionCache(500, COMPILE_OPTIONS);

  constructor(
    @InjectRepository(ProcessDefinitionEntity)
    private readonly definitions: Repository<ProcessDefinitionEntity>,
  ) {}

  compile(definition: Pick<ProcessDefinitionEntity, 'id' | 'xml'>): Promise<CompiledDefinition> {
    return this.compiled.get(definition.id, definition.xml);
  }

  async byId(id: string, manager?: EntityManager): Promise<ProcessDefinitionEntity> {
    const repo = manager ? manager.getRepository(ProcessDefinitionEntity) : this.definitions;
    const found = await repo.findOneBy({ id });
    if (!found) throw WorkflowException.missing(WorkflowReason.DefinitionNotFound, 'definition', id);
    return found;
  }

  /** The newest version of a key that may be started. */
  async latestActive(key: string, manager?: EntityManager): Promise<ProcessDefinitionEntity> {
    const repo = manager ? manager.getRepository(ProcessDefinitionEntity) : this.definitions;
    const latest = await repo.findOne({ where: { key }, order: { version: 'DESC' } });
    if (!latest) throw WorkflowException.missing(WorkflowReason.DefinitionNotFound, 'definition key', key);
    if (latest.suspended) {
      throw new WorkflowException(
        ErrorCode.Conflict,
        WorkflowReason.DefinitionSuspended,
        `definition ${key} is suspended`,
      );
    }
    return latest;
  }
}
