import { DomainError } from '../../../../common/errors/domain-error';

export class OrderNotPayableError extends DomainError {
  readonly code = 'ORDER_NOT_PAYABLE';
  constructor(orderId: number, reason: string) {
    super(`Order ${orderId} cannot be paid: ${reason}`);
  }
}
