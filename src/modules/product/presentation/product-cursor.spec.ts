import { ValidationFailedError } from '../../../common/errors/common.errors';
import { ProductCursor } from './product-cursor';

describe('ProductCursor', () => {
  it('round-trips an id through an opaque string', () => {
    const cursor = ProductCursor.encode(99_000);
    expect(cursor).not.toContain('99000');
    expect(ProductCursor.decode(cursor)).toBe(99_000);
  });

  it.each([
    '',
    'abc',
    '!!',
    Buffer.from('p:-1').toString('base64url'),
    Buffer.from('p:1e3').toString('base64url'),
    Buffer.from('x:5').toString('base64url'),
  ])('rejects %p with a validation error', (cursor) => {
    expect(() => ProductCursor.decode(cursor)).toThrow(ValidationFailedError);
  });
});
