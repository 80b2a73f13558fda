import { DomainError } from '../../../../common/errors/domain-error';

export class ProductNotFoundError extends DomainError {
  readonly code = 'PRODUCT_NOT_FOUND';
  constructor(readonly productId: number) {
    super(`Product ${productId} does not exist`);
  }
}
