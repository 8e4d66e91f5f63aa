export * from './core/entities/staff.entity';
export * from './data-source';
export * from './migrate';
export * from './schemas';
