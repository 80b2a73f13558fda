import { DomainError } from '../../../../common/errors/domain-error';

export class OrderNotFoundError extends DomainError {
  readonly code = 'ORDER_NOT_FOUND';
  constructor(orderId: number) {
    super(`Order ${orderId} does not exist`);
  }
}
