import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  CheckFormDataCommand,
  GetFormCommand,
  ListFormsCommand,
  ProcessFormCommand,
  SaveFormCommand,
  WorkflowPattern,
} from '@app/contracts';
import { FormsService } from './forms.service';

@Controller()
export class FormsController {
  constructor(private readonly forms: FormsService) {}

  @MessagePattern(WorkflowPattern.FormSave)
  save(@Payload('body') command: SaveFormCommand) {
    return this.forms.save(command);
  }

  @MessagePattern(WorkflowPattern.FormList)
  list(@Payload('body') command: ListFormsCommand) {
    return this.forms.list(command);
  }

  @MessagePattern(WorkflowPattern.FormGet)
  get(@Payload('body') command: GetFormCommand) {
    return this.forms.get(command);
  }

  @MessagePattern(WorkflowPattern.FormVersions)
  versions(@Payload('body') command: GetFormCommand) {
    return this.forms.versions(command);
  }

  @MessagePattern(WorkflowPattern.FormCheckData)
  checkData(@Payload('body') command: CheckFormDataCommand) {
    return this.forms.checkData(command);
  }

  @MessagePattern(WorkflowPattern.ProcessForm)
  processForm(@Payload('body') command: ProcessFormCommand) {
    return this.forms.processForm(command);
  }
}
