import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  CheckDefinitionCommand,
  DeleteCategoryCommand,
  DeployDefinitionCommand,
  GetDefinitionCommand,
  ListCategoriesCommand,
  ListDefinitionsCommand,
  SaveCategoryCommand,
  UpdateDefinitionCommand,
  WorkflowPattern,
} from '@app/contracts';
import { DefinitionsService } from './definitions.service';

@Controller()
export class DefinitionsController {
  constructor(private readonly definitions: DefinitionsService) {}

  @MessagePattern(WorkflowPattern.DefinitionDeploy)
  deploy(@Payload('body') command: DeployDefinitionCommand) {
    return this.definitions.deploy(command);
  }

  @MessagePattern(WorkflowPattern.DefinitionCheck)
  check(@Payload('body') command: CheckDefinitionCommand) {
    return this.definitions.check(command);
  }

  @MessagePattern(WorkflowPattern.DefinitionList)
  list(@Payload('body') command: ListDefinitionsCommand) {
    return this.definitions.list(command);
  }

  @MessagePattern(WorkflowPattern.DefinitionGet)
  get(@Payload('body') command: GetDefinitionCommand) {
    return this.definitions.get(command.id);
  }

  @MessagePattern(WorkflowPattern.DefinitionXml)
  xml(@Payload('body') command: GetDefinitionCommand) {
    return this.definitions.xml(command.id);
  }

  @MessagePattern(WorkflowPattern.DefinitionUpdate)
  update(@Payload('body') command: UpdateDefinitionCommand) {
    return this.definitions.update(command);
  }

  @MessagePattern(WorkflowPattern.CategoryList)
  categories(@Payload('body') _command: ListCategoriesCommand) {
    return this.definitions.categories();
  }

  @MessagePattern(WorkflowPattern.CategorySave)
  saveCategory(@Payload('body') command: SaveCategoryCommand) {
    return this.definitions.saveCategory(command);
  }

  @MessagePattern(WorkflowPattern.CategoryDelete)
  deleteCategory(@Payload('body') command: DeleteCategoryCommand) {
    return this.definitions.deleteCategory(command.actor, command.id);
  }
}
