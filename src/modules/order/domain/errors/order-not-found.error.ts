import { DomainError } from '../../../../common/errors/domain-error';

export class OrderNotFoundError extends DomainError {
  static readonly code = 'ORDER_NOT_FOUND';
  static readonly status = 404;
  static readonly description = 'no order has this id';
  static override example() {
    return new OrderNotFoundError(42);
  }

  constructor(orderId: number) {
    super(`Order ${orderId} does not exist`);
  }
}
