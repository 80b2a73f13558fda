import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ForbiddenError, UnauthorizedError } from '../errors/common.errors';
import { AuthenticatedRequest, IS_ADMIN_ONLY, IS_PUBLIC } from './auth.decorators';
import { TokenVerifier } from './token-verifier';

/**
 * Global guard: every route needs a valid bearer token unless marked @Public().
 * On public routes a valid token is still read, for handlers that care who is asking.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = bearerToken(request.headers.authorization);
    const actor = token ? this.verifier.verify(token) : null;

    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) {
      if (actor) request.actor = actor;
      return true;
    }
    if (!token) throw new UnauthorizedError('A bearer token is required');
    if (!actor) throw new UnauthorizedError('The bearer token is invalid or expired');
    request.actor = actor;

    if (this.reflector.getAllAndOverride<boolean>(IS_ADMIN_ONLY, targets) && !actor.isAdmin) {
      throw new ForbiddenError('This operation is for administrators only');
    }
    return true;
  }
}

/** The token of an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1] : null;
}
