export * from './customer.entity';
export * from './entities';
export * from './organization.entity';
export * from './records.entity';
export * from './support.entity';
