import { Body, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { ErrorCode } from '@app/contracts';
import { ApiGuarded, PlatformController } from '@app/common';
import { RequirePermissions } from '@app/auth';
import { ParseIdPipe } from '../../shared/dto-helpers';
import { CreateDepartmentDto, DepartmentDto, DepartmentNodeDto, UpdateDepartmentDto } from './department.dto';
import { DepartmentsService } from './departments.service';

@PlatformController('departments', 'identity: departments')
export class DepartmentsController {
  constructor(private readonly departments: DepartmentsService) {}

  @Get()
  @RequirePermissions('department:read')
  @ApiOperation({ summary: 'The department tree (roots with nested children), each with its manager' })
  @ApiGuarded(DepartmentNodeDto, { isArray: true })
  tree(): Promise<DepartmentNodeDto[]> {
    return this.departments.tree();
  }

  @Get(':id')
  @RequirePermissions('department:read')
  @ApiOperation({ summary: 'One department' })
  @ApiGuarded(DepartmentDto, { errors: [ErrorCode.NotFound] })
  get(@Param('id', ParseIdPipe) id: string): Promise<DepartmentDto> {
    return this.departments.get(id);
  }

  @Post()
  @HttpCode(200)
  @RequirePermissions('department:write')
  @ApiOperation({ summary: 'Create a department (optionally under a parent, with a manager)' })
  @ApiGuarded(DepartmentDto)
  create(@Body() dto: CreateDepartmentDto): Promise<DepartmentDto> {
    return this.departments.create(dto);
  }

  @Patch(':id')
  @RequirePermissions('department:write')
  @ApiOperation({ summary: 'Rename, move (never under itself), set the manager' })
  @ApiGuarded(DepartmentDto, { errors: [ErrorCode.NotFound, ErrorCode.Conflict] })
  update(@Param('id', ParseIdPipe) id: string, @Body() dto: UpdateDepartmentDto): Promise<DepartmentDto> {
    return this.departments.update(id, dto);
  }

  @Delete(':id')
  @RequirePermissions('department:write')
  @ApiOperation({ summary: 'Delete an empty department (no sub-departments, no members); 4090 otherwise' })
  @ApiGuarded(null, { errors: [ErrorCode.NotFound, ErrorCode.Conflict] })
  remove(@Param('id', ParseIdPipe) id: string): Promise<void> {
    return this.departments.remove(id);
  }
}
