import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { INTEGRATION_ENTITIES } from '@app/database';
import { ErpController } from './erp.controller';
import { ErpSyncRepository } from './erp-sync.repository';
import { ErpSyncService } from './erp-sync.service';
import { K3CloudClient } from './k3cloud.client';

/** ERP (Kingdee K/3 Cloud) sync: connector, local copies in schema `erp`, recorded runs. */
@Module({
  imports: [TypeOrmModule.forFeature(INTEGRATION_ENTITIES)],
  controllers: [ErpController],
  providers: [K3CloudClient, ErpSyncRepository, ErpSyncService],
  exports: [ErpSyncService],
})
export class ErpModule {}
