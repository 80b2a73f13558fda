import { ValidationFailedError } from '../errors/common.errors';
import { assertBodyDepth, exceedsDepth, MAX_BODY_DEPTH } from './body-depth';

const nestedArrays = (depth: number): unknown => {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = [value];
  return value;
};

describe('body depth', () => {
  it.each([undefined, null, 1, 'text', true])('does not count the scalar %p', (value) => {
    expect(exceedsDepth(value, 0)).toBe(false);
  });

  it('counts each array or object level', () => {
    expect(exceedsDepth({}, 1)).toBe(false);
    expect(exceedsDepth({}, 0)).toBe(true);
    expect(exceedsDepth({ a: { b: [1] } }, 3)).toBe(false);
    expect(exceedsDepth({ a: { b: [1] } }, 2)).toBe(true);
    expect(exceedsDepth({ flat: 1, deep: { x: { y: {} } } }, 3)).toBe(true);
  });

  it('accepts an order-shaped body', () => {
    expect(() =>
      assertBodyDepth({ userId: 1, items: [{ productId: 1, quantity: 2 }], issuedCouponId: 3 }),
    ).not.toThrow();
  });

  it('accepts exactly the maximum depth and rejects one more with VALIDATION_FAILED', () => {
    expect(() => assertBodyDepth(nestedArrays(MAX_BODY_DEPTH))).not.toThrow();
    expect(() => assertBodyDepth(nestedArrays(MAX_BODY_DEPTH + 1))).toThrow(ValidationFailedError);
  });

  it('handles a body far deeper than the stack allows recursion for', () => {
    expect(exceedsDepth(nestedArrays(200_000), MAX_BODY_DEPTH)).toBe(true);
  });
});
