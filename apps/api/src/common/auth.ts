/**
 * Authentication and role checks: every route needs a valid bearer token unless marked @Public();
 * @Roles() limits a route to roles. Unit scope (which unit's data) is checked by ScopeService in
 * the services, where the data is known.
 */
import {
  CanActivate,
  createParamDecorator,
  ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  SetMetadata,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import type { Request } from 'express';
import type { DataSource } from 'typeorm';
import type { Actor, Role } from '@tdkt/domain';
import { UserEntity } from '@tdkt/persistence';
import { DATA_SOURCE } from './tokens';

export const IS_PUBLIC = 'tdkt:public';
export const ROLES = 'tdkt:roles';

export const Public = () => SetMetadata(IS_PUBLIC, true);
/** The roles that may call a route (any one of them). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES, roles);

export interface AuthUser extends Actor {
  fullName: string;
}

export interface TokenPayload {
  sub: string;
}

export type AuthedRequest = Request & { user?: AuthUser; requestId?: string; idempotency?: { updateId: string } };

/** The signed-in user of the request. */
export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthUser => {
  const user = ctx.switchToHttp().getRequest<AuthedRequest>().user;
  if (!user) throw new UnauthorizedException('not signed in');
  return user;
});

/** What a workflow update needs to know about the request: who, which request, which update id. */
export interface ActionContext {
  actor: Actor;
  requestId: string;
  /** Set when the client sent an Idempotency-Key: the Temporal update id, so a retry is the same update. */
  updateId?: string;
}

export const Action = createParamDecorator((_: unknown, ctx: ExecutionContext): ActionContext => {
  const req = ctx.switchToHttp().getRequest<AuthedRequest>();
  if (!req.user) throw new UnauthorizedException('not signed in');
  const { username, roles, unitCode } = req.user;
  return {
    actor: { username, roles, ...(unitCode ? { unitCode } : {}) },
    requestId: req.requestId ?? String(req.id ?? ''),
    updateId: req.idempotency?.updateId,
  };
});

/**
 * How long the guard trusts what it read of an account: a request within this time of the last
 * lookup of the same user skips the query (one of the two queries behind every read). A disabled
 * account or a changed role therefore takes effect within this time.
 */
export const USER_CACHE_MS = 2_000;
const USER_CACHE_MAX = 10_000;

@Injectable()
export class AuthGuard implements CanActivate {
  private readonly users = new Map<string, { user: UserEntity | null; until: number }>();

  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const req = ctx.switchToHttp().getRequest<AuthedRequest>();
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new UnauthorizedException('missing bearer token (Authorization: Bearer <accessToken>)');
    let payload: TokenPayload;
    try {
      payload = await this.jwt.verifyAsync<TokenPayload>(match[1]);
    } catch {
      throw new UnauthorizedException('invalid or expired token');
    }
    const user = await this.userOf(payload.sub);
    if (!user || !user.active) throw new UnauthorizedException('the account no longer exists or is disabled');
    req.user = { username: user.username, roles: user.roles, fullName: user.fullName, ...(user.unitCode ? { unitCode: user.unitCode } : {}) };
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, targets);
    if (roles && !user.roles.some((r) => roles.includes(r))) {
      throw new ForbiddenException(`requires one of the roles ${roles.join(', ')}`);
    }
    return true;
  }

  private async userOf(username: string): Promise<UserEntity | null> {
    const now = Date.now();
    const cached = this.users.get(username);
    if (cached && cached.until > now) return cached.user;
    const user = await this.dataSource.getRepository(UserEntity).findOneBy({ username });
    if (this.users.size >= USER_CACHE_MAX) this.users.clear();
    this.users.set(username, { user, until: now + USER_CACHE_MS });
    return user;
  }
}
