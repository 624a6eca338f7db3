/** Login (đăng nhập): username and password against the scrypt hash, a JWT in return. */
import { Body, Controller, HttpCode, Inject, Injectable, Post, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import type { DataSource } from 'typeorm';
import { UserEntity, verifyPassword } from '@tdkt/persistence';
import { Public } from '../common/auth';
import { DATA_SOURCE } from '../common/tokens';

export class LoginDto {
  @ApiProperty({ example: 'canbo.stp-hn' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  username!: string;

  @ApiProperty({ example: 'Demo@123456' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  password!: string;
}

export class LoginResponse {
  @ApiProperty() accessToken!: string;
  @ApiProperty({ example: { username: 'canbo.stp-hn', roles: ['UNIT_OFFICER'], unitCode: 'STP-HN' } })
  user!: { username: string; roles: string[]; unitCode?: string; fullName: string };
}

/** A hash to compare against when the user does not exist, so timing does not reveal usernames. */
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

@Injectable()
export class AuthService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly jwt: JwtService,
  ) {}

  async login(dto: LoginDto): Promise<LoginResponse> {
    const user = await this.dataSource.getRepository(UserEntity).findOneBy({ username: dto.username });
    const ok = await verifyPassword(dto.password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !ok || !user.active) throw new UnauthorizedException('wrong username or password');
    const accessToken = await this.jwt.signAsync({ sub: user.username });
    return {
      accessToken,
      user: { username: user.username, roles: user.roles, fullName: user.fullName, ...(user.unitCode ? { unitCode: user.unitCode } : {}) },
    };
  }
}

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOkResponse({ type: LoginResponse })
  login(@Body() dto: LoginDto): Promise<LoginResponse> {
    return this.auth.login(dto);
  }
}
