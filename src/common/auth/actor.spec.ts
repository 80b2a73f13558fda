import { ForbiddenError } from '../errors/common.errors';
import { Actor } from './actor';

describe('Actor.assertCanActFor', () => {
  it('lets a user act for themselves', () => {
    expect(() => new Actor(7, false).assertCanActFor(7)).not.toThrow();
  });

  it('forbids a user to act for someone else with FORBIDDEN', () => {
    let caught: unknown;
    try {
      new Actor(7, false).assertCanActFor(8);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ForbiddenError);
    expect((caught as ForbiddenError).code).toBe('FORBIDDEN');
  });

  it('lets an admin act for anyone', () => {
    const admin = new Actor(1, true);
    expect(() => admin.assertCanActFor(1)).not.toThrow();
    expect(() => admin.assertCanActFor(999)).not.toThrow();
  });
});
