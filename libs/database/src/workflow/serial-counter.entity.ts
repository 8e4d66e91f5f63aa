import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Gapless serial numbers `{code}_{yyyyMM}_{seq}`: one row per code and month, bumped in the caller's transaction. */
@Entity({ schema: 'workflow', name: 'serial_counter' })
export class SerialCounterEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  code!: string;

  @PrimaryColumn({ type: 'varchar', length: 6 })
  period!: string;

  @Column({ name: 'last_value', type: 'integer' })
  lastValue!: number;
}
