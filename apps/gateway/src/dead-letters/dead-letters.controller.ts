import { Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation } from '@nestjs/swagger';
import { Actor, ErrorCode } from '@app/contracts';
import { ApiGuarded, type Page, PlatformController } from '@app/common';
import { CurrentActor, RequirePermissions } from '@app/auth';
import { ParseIdPipe } from '../shared/dto-helpers';
import { DeadLetterDto, DeadLetterQueryDto } from './dead-letters.dto';
import { DeadLettersService } from './dead-letters.service';

@ApiBearerAuth()
@PlatformController('admin/dead-letters', 'admin: dead letters')
export class DeadLettersController {
  constructor(private readonly deadLetters: DeadLettersService) {}

  @Get()
  @RequirePermissions('deadletter:admin')
  @ApiOperation({
    summary: 'Dead letters: events a consumer gave up on after its bounded retries, newest first',
  })
  @ApiGuarded(DeadLetterDto, { paged: true, errors: [ErrorCode.InvalidParameter] })
  list(@Query() query: DeadLetterQueryDto): Promise<Page<DeadLetterDto>> {
    return this.deadLetters.list(query);
  }

  @Get(':id')
  @RequirePermissions('deadletter:admin')
  @ApiOperation({ summary: 'One dead letter with its message and last error' })
  @ApiGuarded(DeadLetterDto, { errors: [ErrorCode.NotFound] })
  get(@Param('id', ParseIdPipe) id: string): Promise<DeadLetterDto> {
    return this.deadLetters.get(id);
  }

  @Post(':id/replay')
  @HttpCode(200)
  @RequirePermissions('deadletter:admin')
  @ApiOperation({
    summary: 'Replay: send the message through its handlers again (after the cause is fixed)',
    description:
      'Success marks it `replayed`; a handler failing again keeps it `dead` with the new error (4090 REPLAY_FAILED); a replayed one is 4090 ALREADY_REPLAYED.',
  })
  @ApiGuarded(DeadLetterDto, { errors: [ErrorCode.NotFound, ErrorCode.Conflict] })
  replay(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string): Promise<DeadLetterDto> {
    return this.deadLetters.replay(actor, id);
  }
}
