import { DomainError } from '../../../../common/errors/domain-error';

export class OrderNotCancellableError extends DomainError {
  readonly code = 'ORDER_NOT_CANCELLABLE';
  constructor(orderId: number, status: string) {
    super(`Order ${orderId} is ${status} and cannot be cancelled`);
  }
}
