import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * PostgreSQL channel notified on commit of every statement that changes `process_definition` (trigger of
 * migration DefinitionsChanged): caches of definition lists forget on it.
 */
export const DEFINITIONS_CHANGED_CHANNEL = 'flowdesk_definitions';

/** A deployed, immutable version of one BPMN process (each deploy of a key adds a version). */
@Entity({ schema: 'workflow', name: 'process_definition' })
@Index('uq_definition_key_version', ['key', 'version'], { unique: true })
// the versions whose starters are still to be read (DefinitionsRepository.withoutStarters, before every
// startable list): normally none, so the partial index is empty and the query reads no table page
@Index('ix_definition_starters_unread', ['id'], { where: 'starters IS NULL' })
export class ProcessDefinitionEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  /** The process element id: what `start by key` and call activities name. */
  @Column({ type: 'varchar', length: 255 })
  key!: string;

  @Column({ type: 'integer' })
  version!: number;

  @Column({ type: 'varchar', length: 255 })
  name!: string;

  @Index('ix_definition_category')
  @Column({ type: 'varchar', length: 64, nullable: true })
  category!: string | null;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  description!: string | null;

  /** Prefix of instance serial numbers `{code}_{yyyyMM}_{seq}` (seed 002). */
  @Column({ name: 'serial_code', type: 'varchar', length: 64 })
  serialCode!: string;

  /** The document exactly as deployed (the diagram is drawn from it). */
  @Column({ type: 'text' })
  xml!: string;

  @Column({ name: 'resource_name', type: 'varchar', length: 255, nullable: true })
  resourceName!: string | null;

  /** sha-256 of the normalised document: redeploying identical content can be detected. */
  @Column({ type: 'varchar', length: 64 })
  fingerprint!: string;

  @Column({ name: 'start_form_key', type: 'varchar', length: 255, nullable: true })
  startFormKey!: string | null;

  @Column({ type: 'boolean', default: false })
  suspended!: boolean;

  /**
   * The process's candidate starters as candidate keys (apps/workflow/src/common/starters.ts), empty
   * when anyone may start it; null until read from the XML (versions deployed before the column).
   */
  @Column({ type: 'text', array: true, nullable: true })
  starters!: string[] | null;

  @Column({ name: 'deployed_by', type: 'varchar', length: 64 })
  deployedBy!: string;

  @CreateDateColumn({ name: 'deployed_at', type: 'timestamptz' })
  deployedAt!: Date;
}
