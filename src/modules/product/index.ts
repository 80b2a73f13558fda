/** The product module's front door: all that other modules may use of it. */
export { ProductModule } from './product.module';
export { ProductService, StockLine } from './application/product.service';
export { Product } from './domain/product';
export { ReadFreshness } from './domain/product.repository';
export { OutOfStockError } from './domain/errors/out-of-stock.error';
export { ProductNotFoundError } from './domain/errors/product-not-found.error';
