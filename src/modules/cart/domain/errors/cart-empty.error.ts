import { DomainError } from '../../../../common/errors/domain-error';

/** A checkout found nothing to order: the cart is empty, or none of the named products is in it. */
export class CartEmptyError extends DomainError {
  static readonly code = 'CART_EMPTY';
  static readonly status = 409;
  static readonly description =
    'nothing to check out: the cart is empty, or none of `productIds` is in it';
  static override example() {
    return new CartEmptyError(1);
  }

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
