import { DomainError } from '../../../../common/errors/domain-error';

export class ProductNotFoundError extends DomainError {
  static readonly code = 'PRODUCT_NOT_FOUND';
  static readonly status = 404;
  static readonly description = 'no product has this id';
  static override example() {
    return new ProductNotFoundError(1);
  }

  constructor(readonly productId: number) {
    super(`Product ${productId} does not exist`);
  }
}
