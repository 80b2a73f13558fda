import {
  applyDecorators,
  createParamDecorator,
  ExecutionContext,
  SetMetadata,
} from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ApiErrors } from '../errors/api-errors.decorator';
import { Actor } from './actor';

export const IS_PUBLIC = 'auth:isPublic';
export const IS_ADMIN_ONLY = 'auth:isAdminOnly';

/** No token needed. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** A bearer token is needed (documented for Swagger's Authorize button). */
export const Authenticated = () => applyDecorators(ApiBearerAuth(), ApiErrors(401));

/** Only a token with `role: "admin"`. */
export const AdminOnly = () =>
  applyDecorators(SetMetadata(IS_ADMIN_ONLY, true), ApiBearerAuth(), ApiErrors(401, 403));

export interface AuthenticatedRequest extends FastifyRequest {
  actor?: Actor;
}

export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor => {
  const actor = context.switchToHttp().getRequest<AuthenticatedRequest>().actor;
  if (!actor) throw new Error('CurrentActor used on a public route');
  return actor;
});
