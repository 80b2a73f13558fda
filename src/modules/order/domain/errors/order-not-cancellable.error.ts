import { DomainError } from '../../../../common/errors/domain-error';

export class OrderNotCancellableError extends DomainError {
  static readonly code = 'ORDER_NOT_CANCELLABLE';
  static readonly status = 409;
  static readonly description = 'the order is already cancelled or expired';
  static override example() {
    return new OrderNotCancellableError(42, 'CANCELLED');
  }

  constructor(orderId: number, status: string) {
    super(`Order ${orderId} is ${status} and cannot be cancelled`);
  }
}
