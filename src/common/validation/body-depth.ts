import { ValidationFailedError } from '../errors/common.errors';

/** Deepest nesting a request body may have; the deepest legitimate body (an order) has 3. */
export const MAX_BODY_DEPTH = 16;

/**
 * How deeply `value` nests arrays and objects, counted without recursion and stopping once past
 * `limit`, so a small but deeply nested body cannot overflow the stack of the recursive
 * validation and fingerprinting code that runs after it.
 */
export function exceedsDepth(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth + 1 > limit) return true;
    for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
  return false;
}

/** Rejects a parsed body nested deeper than MAX_BODY_DEPTH with a 400. */
export function assertBodyDepth(body: unknown): void {
  if (exceedsDepth(body, MAX_BODY_DEPTH)) {
    throw new ValidationFailedError([
      {
        field: 'body',
        reason: `the body must not be nested more than ${MAX_BODY_DEPTH} levels deep`,
      },
    ]);
  }
}
