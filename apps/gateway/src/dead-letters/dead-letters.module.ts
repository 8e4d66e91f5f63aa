import { Module } from '@nestjs/common';
import { DeadLetterReplayers } from './dead-letter-replayers';
import { DeadLettersController } from './dead-letters.controller';
import { DeadLettersRepository } from './dead-letters.repository';
import { DeadLettersService } from './dead-letters.service';

/**
 * Dead letters (issue 19): consumers park a message after their bounded retries (DeadLettersRepository)
 * and register how to replay it (DeadLetterReplayers); operators list and replay through the API.
 */
@Module({
  controllers: [DeadLettersController],
  providers: [DeadLettersRepository, DeadLettersService, DeadLetterReplayers],
  exports: [DeadLettersRepository, DeadLetterReplayers],
})
export class DeadLettersModule {}
