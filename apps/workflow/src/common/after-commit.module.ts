import { Global, Module } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AfterCommit } from '@app/database';

/** The app's one `AfterCommit` on its data source, global: wake-ups register on any transaction. */
@Global()
@Module({
  providers: [
    {
      provide: AfterCommit,
      useFactory: (dataSource: DataSource) => new AfterCommit(dataSource),
      inject: [getDataSourceToken()],
    },
  ],
  exports: [AfterCommit],
})
export class AfterCommitModule {}
