import { FormDefinitionEntity } from './form-definition.entity';

export * from './form-definition.entity';

export const FORM_ENTITIES = [FormDefinitionEntity];
