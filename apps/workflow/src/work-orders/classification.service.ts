import { Injectable } from '@nestjs/common';
import {
  type Actor,
  type ClassificationRefCommand,
  DeployDefinitionCommand,
  type DeployTemplateCommand,
  type ListClassificationCommand,
  type PageReply,
  type SaveWorkOrderCategoryCommand,
  type SaveWorkOrderTypeCommand,
  type TemplateReply,
  type WorkOrderCategoryReply,
  type WorkOrderTypeReply,
} from '@app/contracts';
import { AppException } from '@app/common';
import type { WorkOrderTypeEntity } from '@app/database';
import { DefinitionsService } from '../definitions/definitions.service';
import { FormsService } from '../forms/forms.service';
import { ClassificationRepository } from './classification.repository';
import { LAUNCH_FORMS, LAUNCH_XML } from './built-in/launch-model';
import { OPPORTUNITY_FORMS, OPPORTUNITY_XML } from './built-in/opportunity-report';
import { isWorkOrderAdmin } from './work-orders.service';

interface BuiltIn {
  key: string;
  name: string;
  description: string;
  xml: string;
  serialCode: string;
  forms: Record<string, { name: string; schema: object }>;
}

/** Flows shipped with the platform, deployable with their forms in one call. */
export const BUILT_IN_FLOWS: BuiltIn[] = [
  {
    key: 'opportunityReport',
    name: '云改商机上报 (seed 000)',
    description:
      '15 fields; town-branch leader and city government-enterprise approval, collaboration order, marketing outcome, delivery confirmation',
    xml: OPPORTUNITY_XML,
    serialCode: 'SJSB',
    forms: OPPORTUNITY_FORMS,
  },
  {
    key: 'ztbxx01',
    name: '看板流程 launch model (seed 002)',
    description:
      'launch by flow code + saved form data id + serial number; audit with department-manager tasks or a jump to a node',
    xml: LAUNCH_XML,
    serialCode: 'ztbxx01',
    forms: LAUNCH_FORMS,
  },
];

function mapType(t: WorkOrderTypeEntity): WorkOrderTypeReply {
  return {
    id: String(t.id),
    name: t.name,
    appCode: t.appCode,
    definitionKey: t.definitionKey,
    iconUrl: t.iconUrl,
    sortOrder: t.sortOrder,
  };
}

/** App work-order types, synthesis categories (a tree) and built-in templates. */
@Injectable()
export class ClassificationService {
  constructor(
    private readonly repository: ClassificationRepository,
    private readonly definitions: DefinitionsService,
    private readonly forms: FormsService,
  ) {}

  async types(command: ListClassificationCommand): Promise<PageReply<WorkOrderTypeReply>> {
    const [rows, total] = await this.repository.typePage(command.pageNum, command.pageSize);
    return { total, pageNum: command.pageNum, pageSize: command.pageSize, rows: rows.map(mapType) };
  }

  async saveType(command: SaveWorkOrderTypeCommand): Promise<WorkOrderTypeReply> {
    this.requireAdmin(command.actor);
    const existing = command.id ? await this.repository.findType(command.id) : this.repository.newType();
    if (!existing) throw AppException.notFound('work-order type', command.id);
    Object.assign(existing, {
      name: command.name,
      appCode: command.appCode ?? existing.appCode ?? null,
      definitionKey: command.definitionKey ?? existing.definitionKey ?? null,
      iconUrl: command.iconUrl ?? existing.iconUrl ?? null,
      sortOrder: command.sortOrder ?? existing.sortOrder ?? 0,
    });
    return mapType(await this.repository.saveType(existing));
  }

  async deleteType(command: ClassificationRefCommand): Promise<{ deleted: true }> {
    this.requireAdmin(command.actor);
    // the type's row locked first: a work order created with it meanwhile is either seen as a use, or
    // refused as naming an unknown type (checked apart, it kept the deleted type's id)
    await this.repository.transaction(async (manager) => {
      if (!(await this.repository.lockTypeForDelete(manager, command.id)))
        throw AppException.notFound('work-order type', command.id);
      // the foreign key answers alike when an order got past the check (written by another path)
      if (
        (await this.repository.isTypeUsed(manager, command.id)) ||
        !(await this.repository.deleteType(manager, command.id))
      )
        throw AppException.conflict('TYPE_IN_USE', 'work orders use this type');
    });
    return { deleted: true };
  }

  async categoryTree(): Promise<WorkOrderCategoryReply[]> {
    const rows = await this.repository.categories();
    const nodes = new Map<string, WorkOrderCategoryReply>(
      rows.map((c) => [
        String(c.id),
        {
          id: String(c.id),
          parentId: c.parentId,
          name: c.name,
          description: c.description,
          definitionKey: c.definitionKey,
          sortOrder: c.sortOrder,
          children: [],
        },
      ]),
    );
    const roots: WorkOrderCategoryReply[] = [];
    for (const node of nodes.values()) {
      const parent = node.parentId ? nodes.get(node.parentId) : undefined;
      (parent ? parent.children : roots).push(node);
    }
    return roots;
  }

  async saveCategory(command: SaveWorkOrderCategoryCommand): Promise<WorkOrderCategoryReply> {
    this.requireAdmin(command.actor);
    const saved = await this.repository.treeChange(async (manager) => {
      const existing = command.id
        ? await this.repository.findCategory(manager, command.id)
        : this.repository.newCategory();
      if (!existing) throw AppException.notFound('category', command.id);
      if (command.parentId) {
        // no cycles: the new parent must not be the node itself or one of its descendants
        const cycle = await this.repository.isAncestorOrSelf(manager, command.id ?? '0', command.parentId);
        if (!(await this.repository.categoryExists(manager, command.parentId)))
          throw AppException.invalid([{ field: 'parentId', reason: 'unknown parent' }]);
        if (cycle)
          throw AppException.invalid([
            { field: 'parentId', reason: 'a category cannot be its own ancestor' },
          ]);
      }
      Object.assign(existing, {
        name: command.name,
        parentId: command.parentId === undefined ? (existing.parentId ?? null) : command.parentId,
        description: command.description ?? existing.description ?? null,
        definitionKey: command.definitionKey ?? existing.definitionKey ?? null,
        sortOrder: command.sortOrder ?? existing.sortOrder ?? 0,
      });
      return this.repository.saveCategory(manager, existing);
    });
    return {
      id: String(saved.id),
      parentId: saved.parentId,
      name: saved.name,
      description: saved.description,
      definitionKey: saved.definitionKey,
      sortOrder: saved.sortOrder,
      children: [],
    };
  }

  async deleteCategory(command: ClassificationRefCommand): Promise<{ deleted: true }> {
    this.requireAdmin(command.actor);
    await this.repository.treeChange(async (manager) => {
      // the row locked before the checks: a work order created in it meanwhile is either seen as a use,
      // or refused as naming an unknown category (checked apart, it kept the deleted category's id)
      if (!(await this.repository.lockCategoryForDelete(manager, command.id)))
        throw AppException.notFound('category', command.id);
      if (await this.repository.hasChildren(manager, command.id))
        throw AppException.conflict('CATEGORY_HAS_CHILDREN', 'delete its children first');
      if (
        (await this.repository.isCategoryUsed(manager, command.id)) ||
        !(await this.repository.deleteCategory(manager, command.id))
      )
        throw AppException.conflict('CATEGORY_IN_USE', 'work orders use this category');
    });
    return { deleted: true };
  }

  async templates(): Promise<TemplateReply[]> {
    return Promise.all(BUILT_IN_FLOWS.map((flow) => this.templateReply(flow)));
  }

  /** Deploys a built-in flow as a new definition version, with a new version of each of its forms first. */
  async deployTemplate(command: DeployTemplateCommand): Promise<TemplateReply> {
    const flow = BUILT_IN_FLOWS.find((f) => f.key === command.key);
    if (!flow) throw AppException.notFound('template', command.key);
    await this.repository.transaction(async (manager) => {
      for (const [formKey, form] of Object.entries(flow.forms))
        await this.forms.saveVersion(manager, {
          formKey,
          name: form.name,
          schema: form.schema as Record<string, unknown>,
          actor: command.actor,
        });
    });
    await this.definitions.deploy(
      DeployDefinitionCommand.create({
        xml: flow.xml,
        resourceName: `${flow.key}.bpmn`,
        serialCode: flow.serialCode,
        actor: command.actor,
      }),
    );
    return this.templateReply(flow);
  }

  private async templateReply(flow: BuiltIn): Promise<TemplateReply> {
    const deployedVersion = await this.definitions.newestVersion(flow.key);
    return {
      key: flow.key,
      name: flow.name,
      description: flow.description,
      formKeys: Object.keys(flow.forms),
      deployedVersion,
    };
  }

  private requireAdmin(actor: Actor): void {
    if (!isWorkOrderAdmin(actor))
      throw AppException.forbidden('MISSING_PERMISSION', 'workorder:admin required');
  }
}
