import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DATA_SCOPES, type DataScope } from '@app/contracts';
import { MenuRefDto, StaffDto } from '../staff/staff.dto';

export class MeDto {
  @ApiProperty({ type: StaffDto }) profile!: StaffDto;
  @ApiProperty({ type: [MenuRefDto], description: 'Menus held directly or through enabled groups' })
  menus!: MenuRefDto[];
  @ApiProperty({ type: [String], description: 'Effective permissions (`*` = all)' }) permissions!: string[];
  @ApiProperty({ enum: DATA_SCOPES }) dataScope!: DataScope;
  @ApiProperty({ type: [String], description: 'Departments the data scope reaches' })
  departmentIds!: string[];
  @ApiProperty() mustChangePassword!: boolean;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'The application the call came through' })
  applicationId!: string | null;
}
