import { Injectable, type PipeTransform } from '@nestjs/common';
import { AppException } from '@app/common';
import { FIELD_KEY } from './field-types';

/** Model and field keys in paths: a key that cannot exist names nothing (404, like an unknown path). */
@Injectable()
export class ModelKeyPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (typeof value !== 'string' || !FIELD_KEY.test(value))
      throw AppException.notFound('data model', String(value).slice(0, 64));
    return value;
  }
}
