import { ForbiddenError } from '../errors/common.errors';

/** The authenticated caller, as taken from a verified bearer token. */
export class Actor {
  constructor(
    readonly userId: number,
    readonly isAdmin: boolean,
  ) {}

  /** A user may act only on their own resources; an admin on anyone's. */
  canActFor(ownerId: number): boolean {
    return this.isAdmin || this.userId === ownerId;
  }

  assertCanActFor(ownerId: number): void {
    if (!this.canActFor(ownerId)) throw new ForbiddenError();
  }
}
