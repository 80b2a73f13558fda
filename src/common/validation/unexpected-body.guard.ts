import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ValidationFailedError } from '../errors/common.errors';

/**
 * "Unknown body fields are rejected" holds on routes that take no body too: without this, a
 * body sent to `POST /orders/{id}/payment` or `DELETE /users/{id}/cart` was silently ignored and
 * the action ran. Such a route accepts no body, an empty one, `{}` or `null`; anything else is
 * 400 VALIDATION_FAILED. Runs after authentication (a bad token is still a 401) and before the
 * idempotency claim. Whether a handler takes a @Body() is looked up once per handler.
 */
@Injectable()
export class UnexpectedBodyGuard implements CanActivate {
  private readonly takesBody = new WeakMap<object, boolean>();

  canActivate(context: ExecutionContext): boolean {
    const { body } = context.switchToHttp().getRequest<{ body?: unknown }>();
    if (isEmptyBody(body) || this.handlerTakesBody(context)) return true;
    throw new ValidationFailedError([
      { field: 'body', reason: 'this route takes no request body' },
    ]);
  }

  private handlerTakesBody(context: ExecutionContext): boolean {
    const handler = context.getHandler();
    let takes = this.takesBody.get(handler);
    if (takes === undefined) {
      const args: Record<string, unknown> =
        Reflect.getMetadata(ROUTE_ARGS_METADATA, context.getClass(), handler.name) ?? {};
      takes = Object.keys(args).some((key) => key.split(':')[0] === String(RouteParamtypes.BODY));
      this.takesBody.set(handler, takes);
    }
    return takes;
  }
}

function isEmptyBody(body: unknown): boolean {
  if (body === undefined || body === null) return true;
  return typeof body === 'object' && !Array.isArray(body) && Object.keys(body).length === 0;
}
