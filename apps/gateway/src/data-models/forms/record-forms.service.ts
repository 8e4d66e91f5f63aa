import { Injectable } from '@nestjs/common';
import { type Actor, CheckFormDataCommand, type FieldError, WorkflowPattern } from '@app/contracts';
import { AppException } from '@app/common';
import { WorkflowClient } from '../../workflow-client/workflow.client';
import type { FormSubmitDto, RecordDto } from '../data-models.dto';
import { isEmptyValue } from '../schema/field-types';
import { ModelsService } from '../schema/models.service';
import { RecordsService } from '../records/records.service';

/**
 * A stored form-js form submitting into a model's records (seed 004: forms are configured, not
 * programmed). The data is checked against the stored form first (the same rules as the browser: the
 * workflow app's form validator), then mapped by the model's binding (`form key → field`) and written
 * with the record's own per-field checks. Every error names the form field as `data.<key>`.
 */
@Injectable()
export class RecordFormsService {
  constructor(
    private readonly models: ModelsService,
    private readonly records: RecordsService,
    private readonly workflow: WorkflowClient,
  ) {}

  async submit(actor: Actor, key: string, formKey: string, dto: FormSubmitDto): Promise<RecordDto> {
    const model = await this.models.load(key);
    const binding = (model.forms ?? []).find((b) => b.formKey === formKey);
    if (!binding) throw AppException.notFound(`form binding of ${key}`, formKey);
    const checked = await this.workflow.send(
      WorkflowPattern.FormCheckData,
      CheckFormDataCommand.create({ actor, formKey, data: dto.data }),
    );
    if (checked.errors.length > 0)
      throw AppException.invalid(checked.errors.map((e) => ({ field: `data.${e.field}`, reason: e.reason })));
    const keyOfId = new Map(model.fields.map((f) => [f.id, f.key]));
    const formFieldOf = new Map<string, string>();
    const values: Record<string, unknown> = {};
    for (const [formField, fieldId] of Object.entries(binding.fields)) {
      const fieldKey = keyOfId.get(fieldId);
      if (!fieldKey || !Object.hasOwn(checked.data, formField)) continue;
      formFieldOf.set(fieldKey, formField);
      const value = checked.data[formField];
      // a new record takes the field's default for what the form left empty; an edit clears it
      if (isEmptyValue(value)) {
        if (dto.recordId) values[fieldKey] = null;
        continue;
      }
      values[fieldKey] = value;
    }
    try {
      return dto.recordId
        ? await this.records.update(actor, key, dto.recordId, values, dto.version)
        : await this.records.create(actor, key, values);
    } catch (error) {
      if (!(error instanceof AppException) || !error.errors) throw error;
      throw new AppException(
        error.code,
        error.reason,
        error.message,
        error.errors.map((e) => renamed(e, formFieldOf)),
      );
    }
  }
}

/** `values.<field>` of the record write as `data.<form field>` when the form supplied that field. */
function renamed(error: FieldError, formFieldOf: Map<string, string>): FieldError {
  const match = /^values\.([^.[]+)(.*)$/.exec(error.field);
  const formField = match ? formFieldOf.get(match[1]) : undefined;
  return formField ? { field: `data.${formField}${match![2]}`, reason: error.reason } : error;
}
