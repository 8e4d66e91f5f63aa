import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A form-js schema (bpmn.io format), versioned per key. A process binds it with `formKey` on its
 * start event and user tasks; an instance uses the newest version saved before its definition was
 * deployed, so a running instance keeps the form it started with.
 */
@Entity({ schema: 'workflow', name: 'form_definition' })
@Index('uq_form_definition_version', ['formKey', 'version'], { unique: true })
export class FormDefinitionEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'form_key', type: 'varchar', length: 255 })
  formKey!: string;

  @Column({ type: 'integer' })
  version!: number;

  @Column({ type: 'varchar', length: 255 })
  name!: string;

  @Column({ type: 'jsonb' })
  schema!: Record<string, unknown>;

  @Column({ name: 'created_by', type: 'bigint', nullable: true })
  createdBy!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}
