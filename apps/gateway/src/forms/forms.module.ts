import { Module } from '@nestjs/common';
import { DefinitionFormController, FormsController } from './forms.controller';

/** Gateway routes of form-js forms (their versions, a definition's or instance's form): thin controllers over the workflow client. */
@Module({
  controllers: [FormsController, DefinitionFormController],
})
export class FormsModule {}
