import { DomainError } from '../../../../common/errors/domain-error';

export class OutOfStockError extends DomainError {
  static readonly code = 'OUT_OF_STOCK';
  static readonly status = 409;
  static readonly description = 'an order line asks for more than the stock; nothing is reserved';
  static override example() {
    return new OutOfStockError(3, 5, 2);
  }

  constructor(
    readonly productId: number,
    requested: number,
    available: number,
  ) {
    super(`Product ${productId} has ${available} in stock, ${requested} requested`, [
      {
        field: 'items',
        reason: `product ${productId}: requested ${requested}, in stock ${available}`,
      },
    ]);
  }
}
