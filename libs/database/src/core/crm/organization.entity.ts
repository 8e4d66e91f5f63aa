import { Column, Entity, Index } from 'typeorm';
import { CrmRecordBase } from './crm-record.base';

/** 客户单位 (seed 001 organization): soft deleted with `deleted_at`, never hard deleted. */
@Entity({ schema: 'core', name: 'crm_organization' })
@Index('ix_crm_organization_created', ['createdAt', 'id'])
@Index('ix_crm_organization_creator', ['creatorId'])
@Index('ix_crm_organization_department', ['departmentId'])
// the deleted few, which the statistics' capped count leaves out (migration CrmStatsOrganizationWalk)
@Index('ix_crm_organization_deleted', { synchronize: false })
export class CrmOrganizationEntity extends CrmRecordBase {
  /** groupName; fuzzy search through the trigram index `ix_crm_organization_name_trgm` (hand-written). */
  @Index('ix_crm_organization_name_trgm', { synchronize: false })
  @Column({ type: 'varchar', length: 200 })
  name!: string;

  /** groupDetail */
  @Column({ type: 'varchar', length: 2000, nullable: true })
  detail!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  type!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  province!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  city!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  county!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  address!: string | null;

  @Column({ name: 'legal_person', type: 'varchar', length: 64, nullable: true })
  legalPerson!: string | null;

  @Column({ name: 'registered_capital', type: 'varchar', length: 64, nullable: true })
  registeredCapital!: string | null;

  @Column({ name: 'registration_date', type: 'date', nullable: true })
  registrationDate!: string | null;

  @Column({ type: 'varchar', length: 2048, nullable: true })
  website!: string | null;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  note!: string | null;
}
