/**
 * Login (đăng nhập): username and password against the scrypt hash, a JWT in return. Attempts are
 * limited per client IP and username (LOGIN_RATE_LIMIT per LOGIN_RATE_WINDOW_SECONDS): one
 * guesser cannot try many passwords on one account, while many people behind one office NAT can
 * still sign in.
 */
import { Body, Controller, HttpCode, Inject, Injectable, Post, UnauthorizedException, UseGuards } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { ApiOkResponse, ApiProperty, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
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

/** The key of the login rate limit: client IP and the (lower-cased) username tried. */
export function loginTracker(req: { ip?: string; body?: unknown }): string {
  const body = req.body as { username?: unknown } | undefined;
  const username = typeof body?.username === 'string' ? body.username.trim().toLowerCase().slice(0, 100) : '';
  return `${req.ip ?? 'unknown'}|${username}`;
}

/** The throttler of ThrottlerModule (app.module.ts), keyed by IP and username instead of IP alone. */
@Injectable()
export class LoginThrottlerGuard extends ThrottlerGuard {
  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    return loginTracker(req as { ip?: string; body?: unknown });
  }
}

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @UseGuards(LoginThrottlerGuard)
  @ApiOkResponse({ type: LoginResponse })
  @ApiUnauthorizedResponse({ description: 'wrong username or password' })
  @ApiTooManyRequestsResponse({ description: 'too many attempts for this username from this address; see Retry-After' })
  login(@Body() dto: LoginDto): Promise<LoginResponse> {
    return this.auth.login(dto);
  }
}
