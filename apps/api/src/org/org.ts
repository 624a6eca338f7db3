/** The organisation: units (đơn vị) and users with their roles. */
import { BadRequestException, Body, ConflictException, Controller, Get, Inject, Injectable, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsEmail, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import type { DataSource } from 'typeorm';
import { ROLES, UNIT_KINDS, type Role, type UnitKind } from '@tdkt/domain';
import { hashPassword, UnitEntity, UserEntity } from '@tdkt/persistence';
import { CurrentUser, Roles, type AuthUser } from '../common/auth';
import { IsCode } from '../common/validation';
import { DATA_SOURCE } from '../common/tokens';


export class CreateUnitDto {
  @ApiProperty({ example: 'STP-HN', pattern: '^[A-Za-z0-9_-]{1,40}$' }) @IsCode('code') code!: string;
  @ApiProperty({ example: 'Sở Tư pháp TP Hà Nội', minLength: 1, maxLength: 300 }) @IsString() @MinLength(1) @MaxLength(300) name!: string;
  @ApiProperty({ enum: UNIT_KINDS }) @IsIn(UNIT_KINDS) kind!: UnitKind;
  @ApiPropertyOptional({ example: 'THADS-HN', pattern: '^[A-Za-z0-9_-]{1,40}$' }) @IsOptional() @IsCode('parentCode') parentCode?: string;
}

export class CreateUserDto {
  @ApiProperty({ example: 'canbo.stp-hn2', pattern: '^[a-z0-9._-]{3,60}$' })
  @Matches(/^[a-z0-9._-]{3,60}$/, { message: 'username must be 3-60 lowercase letters, digits, ., _ or -' })
  username!: string;
  @ApiProperty({ minLength: 8, maxLength: 200 }) @IsString() @MinLength(8) @MaxLength(200) password!: string;
  @ApiProperty({ example: 'Nguyễn Văn An', minLength: 1, maxLength: 200 }) @IsString() @MinLength(1) @MaxLength(200) fullName!: string;
  @ApiProperty({ enum: ROLES, isArray: true, minItems: 1, maxItems: ROLES.length, uniqueItems: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(ROLES.length)
  @ArrayUnique()
  @IsIn(ROLES, { each: true })
  roles!: Role[];
  @ApiPropertyOptional({ example: 'STP-HN', pattern: '^[A-Za-z0-9_-]{1,40}$' }) @IsOptional() @IsCode('unitCode') unitCode?: string;
  @ApiPropertyOptional({ example: 'canbo@stp.hanoi.gov.vn', format: 'email', description: 'where reminders are e-mailed' })
  @IsOptional()
  @IsEmail({}, { message: 'email must be an e-mail address' })
  email?: string;
}

const UNIT_ROLES: Role[] = ['UNIT_OFFICER', 'UNIT_LEADER', 'CLUSTER_HEAD'];

@Injectable()
export class OrgService {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  listUnits() {
    return this.dataSource.getRepository(UnitEntity).find({ order: { code: 'ASC' } });
  }

  async createUnit(dto: CreateUnitDto) {
    const units = this.dataSource.getRepository(UnitEntity);
    if (dto.parentCode && !(await units.existsBy({ code: dto.parentCode }))) throw new BadRequestException(`parentCode: unknown unit ${dto.parentCode}`);
    const inserted = await this.dataSource.query(
      'INSERT INTO unit (code, name, kind, parent_code) VALUES ($1,$2,$3,$4) ON CONFLICT (code) DO NOTHING RETURNING code',
      [dto.code, dto.name.normalize('NFC'), dto.kind, dto.parentCode ?? null],
    );
    if (!inserted.length) throw new ConflictException(`unit ${dto.code} already exists`);
    return units.findOneByOrFail({ code: dto.code });
  }

  async createUser(dto: CreateUserDto) {
    const needsUnit = dto.roles.some((r) => UNIT_ROLES.includes(r));
    if (needsUnit && !dto.unitCode) throw new BadRequestException(`unitCode is required for the roles ${UNIT_ROLES.join(', ')}`);
    if (dto.unitCode && !(await this.dataSource.getRepository(UnitEntity).existsBy({ code: dto.unitCode }))) {
      throw new BadRequestException(`unitCode: unknown unit ${dto.unitCode}`);
    }
    const inserted = await this.dataSource.query(
      `INSERT INTO app_user (username, password_hash, full_name, roles, unit_code, email) VALUES ($1,$2,$3,$4,$5,$6)
       ON CONFLICT (username) DO NOTHING RETURNING username`,
      [dto.username, await hashPassword(dto.password), dto.fullName.normalize('NFC'), dto.roles, dto.unitCode ?? null, dto.email ?? null],
    );
    if (!inserted.length) throw new ConflictException(`user ${dto.username} already exists`);
    return { username: dto.username, fullName: dto.fullName.normalize('NFC'), roles: dto.roles, unitCode: dto.unitCode ?? null, email: dto.email ?? null };
  }

  async listUsers() {
    const users = await this.dataSource.getRepository(UserEntity).find({ order: { username: 'ASC' } });
    return users.map((u) => ({ username: u.username, fullName: u.fullName, roles: u.roles, unitCode: u.unitCode, active: u.active }));
  }
}

@ApiTags('organisation')
@ApiBearerAuth()
@Controller()
export class OrgController {
  constructor(private readonly org: OrgService) {}

  @Get('units')
  listUnits() {
    return this.org.listUnits();
  }

  @Post('units')
  @Roles('ADMIN')
  createUnit(@Body() dto: CreateUnitDto) {
    return this.org.createUnit(dto);
  }

  @Get('users')
  @Roles('ADMIN', 'AUDITOR')
  listUsers() {
    return this.org.listUsers();
  }

  @Post('users')
  @Roles('ADMIN')
  createUser(@Body() dto: CreateUserDto) {
    return this.org.createUser(dto);
  }

  @Get('me')
  me(@CurrentUser() user: AuthUser) {
    return user;
  }
}
