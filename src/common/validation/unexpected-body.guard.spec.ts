import { Body, Controller, ExecutionContext, Param, Post } from '@nestjs/common';
import { ValidationFailedError } from '../errors/common.errors';
import { UnexpectedBodyGuard } from './unexpected-body.guard';

@Controller()
class ExampleController {
  @Post('with-body')
  withBody(@Body() body: unknown): unknown {
    return body;
  }

  @Post('without-body/:id')
  withoutBody(@Param('id') id: string): string {
    return id;
  }
}

function contextFor(handler: keyof ExampleController, body: unknown): ExecutionContext {
  return {
    getClass: () => ExampleController,
    getHandler: () => ExampleController.prototype[handler],
    switchToHttp: () => ({ getRequest: () => ({ body }) }),
  } as unknown as ExecutionContext;
}

describe('UnexpectedBodyGuard', () => {
  const guard = new UnexpectedBodyGuard();

  it.each<[unknown]>([[undefined], [null], [{}]])(
    'lets a route without @Body() receive no body (%p)',
    (body) => {
      expect(guard.canActivate(contextFor('withoutBody', body))).toBe(true);
    },
  );

  it.each<[unknown]>([[{ amount: 1 }], [[1]], ['text'], [0], [false], [{ constructor: 1 }]])(
    'rejects a body (%p) sent to a route without @Body() with 400',
    (body) => {
      expect(() => guard.canActivate(contextFor('withoutBody', body))).toThrow(
        ValidationFailedError,
      );
    },
  );

  it('leaves routes with @Body() to the validation pipe', () => {
    expect(guard.canActivate(contextFor('withBody', { anything: 1 }))).toBe(true);
    expect(guard.canActivate(contextFor('withBody', [1]))).toBe(true);
  });
});
