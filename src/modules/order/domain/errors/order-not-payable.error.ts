import { DomainError } from '../../../../common/errors/domain-error';

export class OrderNotPayableError extends DomainError {
  static readonly code = 'ORDER_NOT_PAYABLE';
  static readonly status = 409;
  static readonly description = 'the order is not PENDING_PAYMENT (paid, cancelled, expired)';
  static override example() {
    return new OrderNotPayableError(42, 'it is PAID');
  }

  constructor(orderId: number, reason: string) {
    super(`Order ${orderId} cannot be paid: ${reason}`);
  }
}
