import { DomainError } from '../../../../common/errors/domain-error';

export class OutOfStockError extends DomainError {
  readonly code = 'OUT_OF_STOCK';
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
