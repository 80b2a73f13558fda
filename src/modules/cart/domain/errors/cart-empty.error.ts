import { DomainError } from '../../../../common/errors/domain-error';

/** A checkout found nothing to order: the cart is empty, or none of the named products is in it. */
export class CartEmptyError extends DomainError {
  readonly code = 'CART_EMPTY';
  constructor(
    readonly userId: number,
    readonly productIds?: readonly number[],
  ) {
    super(
      productIds
        ? `None of the products ${productIds.join(', ')} is in the cart of user ${userId}`
        : `The cart of user ${userId} is empty`,
    );
  }
}
