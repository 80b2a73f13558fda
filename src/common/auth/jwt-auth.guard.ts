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
    const actor = this.verifier.actorOf(request);

    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) {
      if (actor) request.actor = actor;
      return true;
    }
    if (!actor) {
      throw new UnauthorizedError(
        request.headers.authorization
          ? 'The bearer token is invalid or expired'
          : 'A bearer token is required',
      );
    }
    request.actor = actor;

    if (this.reflector.getAllAndOverride<boolean>(IS_ADMIN_ONLY, targets) && !actor.isAdmin) {
      throw new ForbiddenError('This operation is for administrators only');
    }
    return true;
  }
}
