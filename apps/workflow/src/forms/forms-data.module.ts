import { Module } from '@nestjs/common';
import { FormsRepository } from './forms.repository';

/**
 * The forms repository on its own: the instance and work-order lists check form fields against it,
 * and the forms feature itself imports the instances (no module cycle).
 */
@Module({ providers: [FormsRepository], exports: [FormsRepository] })
export class FormsDataModule {}
