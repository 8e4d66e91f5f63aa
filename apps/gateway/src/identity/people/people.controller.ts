import { Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation } from '@nestjs/swagger';
import { ErrorCode } from '@app/contracts';
import { ApiEnvelope, PlatformController } from '@app/common';
import { StaffOnly } from '@app/auth';
import { PeopleQueryDto, PersonDto } from './people.dto';
import { PeopleRepository } from './people.repository';

@PlatformController('people', 'identity: people')
@ApiBearerAuth()
@StaffOnly()
export class PeopleController {
  constructor(private readonly people: PeopleRepository) {}

  @Get()
  @ApiOperation({
    summary:
      'Colleagues by ids or name fragment (id, name, sign-in name, department): for people pickers and names on screen; any member, enabled members only',
  })
  @ApiEnvelope(PersonDto, { isArray: true, errors: [ErrorCode.InvalidToken] })
  find(@Query() query: PeopleQueryDto): Promise<PersonDto[]> {
    const ids = query.ids?.split(',');
    const keyword = query.keyword?.trim();
    if (!ids && !keyword) return Promise.resolve([]);
    return this.people.findEnabled({ ids, keyword });
  }
}
