import { Injectable } from '@nestjs/common';
import { Actor } from '../../../common/auth/actor';
import { Clock } from '../../../common/clock/clock';
import { TransactionRunner } from '../../../common/database/transaction-runner';
import { OrderService } from '../../order';
import { Order } from '../../order';
import { ProductService } from '../../product';
import { Cart, PricedCart } from '../domain/cart';
import { CartLine } from '../domain/cart-line';
import { CartRepository } from '../domain/cart.repository';

export interface CheckoutCommand {
  /** Only these products' lines; all lines when absent. */
  productIds?: readonly number[];
  issuedCouponId?: number | null;
}

/**
 * The cart use cases. A cart is priced live: every read shows each product's current name,
 * price and stock through ProductService, never a copy kept in the cart.
 *
 * Lock order. Every cart write that needs the whole cart starts by locking the user's cart rows
 * (one statement, ascending product id, through the unique key (user_id, product_id)); a
 * checkout then takes the global order of OrderService.placeInTransaction: product rows
 * (ascending id) → issued coupon → coupon (→ balance, which placing an order does not touch).
 * Cart rows come first and belong to one user, and no use case locks a cart row after any of
 * those, so the cart lock never closes a cycle with the global order; two checkouts (or a
 * checkout and a PUT) of one cart simply queue on the cart rows.
 */
@Injectable()
export class CartService {
  constructor(
    private readonly carts: CartRepository,
    private readonly products: ProductService,
    private readonly orders: OrderService,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  async get(actor: Actor, userId: number): Promise<PricedCart> {
    actor.assertCanActFor(userId);
    return this.priced(new Cart({ userId, lines: await this.carts.findLines(userId) }));
  }

  /**
   * Sets the product's line to `quantity` (adds it if absent). The quantity may exceed the stock.
   * An unknown product is rejected with a plain read before any lock. The cart's rows are then
   * locked with the same statement a checkout starts with, and the line limit is checked on the
   * locked cart: every writer of one cart queues on its first row, so two PUTs of new products
   * cannot both take the last free line, and a PUT and a checkout run one after the other.
   *
   * Chosen by measurement over writing the line first and locking after, which is clean for
   * repeated PUTs of one line but deadlocks (up to 503s) when PUTs of different products race.
   * Locking first deadlocks only when several PUTs insert into an EMPTY cart: the locking read
   * of an empty range takes a gap lock that all of them are granted, and their inserts then wait
   * on each other's gap. InnoDB detects that at once and TransactionRunner retries the loser,
   * which then finds the winner's row and queues on it.
   */
  async setItem(
    actor: Actor,
    userId: number,
    productId: number,
    quantity: number,
  ): Promise<PricedCart> {
    actor.assertCanActFor(userId);
    CartLine.assertQuantity(quantity);
    await this.products.get(productId);
    const cart = await this.transactions.run(async () => {
      const locked = new Cart({ userId, lines: await this.carts.findLinesForUpdate(userId) });
      const line = locked.set(productId, quantity);
      await this.carts.upsertLine(userId, line, this.clock.now());
      return locked;
    });
    return this.priced(cart);
  }

  /** Removes the product's line; a product not in the cart is not an error. */
  async removeItem(actor: Actor, userId: number, productId: number): Promise<PricedCart> {
    actor.assertCanActFor(userId);
    CartLine.assertProductId(productId);
    await this.carts.deleteLines(userId, [productId]);
    return this.priced(new Cart({ userId, lines: await this.carts.findLines(userId) }));
  }

  async clear(actor: Actor, userId: number): Promise<PricedCart> {
    actor.assertCanActFor(userId);
    await this.carts.deleteAll(userId);
    return new Cart({ userId, lines: [] }).priceWith([]);
  }

  /**
   * Orders the cart's lines (all, or those named) in one transaction: lock the lines, place the
   * order through the order module's own use case, delete exactly the lines ordered. Any failure
   * (OUT_OF_STOCK, COUPON_NOT_USABLE, ...) rolls all of it back, and the cart stays as it was.
   * Two checkouts of one cart queue on the cart rows; the later one finds them gone (CART_EMPTY).
   */
  async checkout(actor: Actor, userId: number, command: CheckoutCommand = {}): Promise<Order> {
    actor.assertCanActFor(userId);
    const issuedCouponId = command.issuedCouponId ?? null;
    // Plain reads refuse an empty cart, an unknown product, a short line or an unusable coupon
    // before any lock is queued for (the cart rows' included); all is checked again under them.
    const read = new Cart({ userId, lines: await this.carts.findLines(userId) });
    await this.orders.assertPlaceable({
      userId,
      items: stockLines(read.linesToCheckOut(command.productIds)),
      issuedCouponId,
    });
    return this.transactions.run(async () => {
      // Cart rows first (see the class comment for why this cannot deadlock with the global order).
      const locked = new Cart({
        userId,
        lines: await this.carts.findLinesForUpdate(userId, command.productIds),
      });
      const lines = locked.linesToCheckOut(command.productIds);
      const order = await this.orders.placeInTransaction({
        userId,
        items: stockLines(lines),
        issuedCouponId,
      });
      await this.carts.deleteLines(
        userId,
        lines.map((line) => line.productId),
      );
      return order;
    });
  }

  private async priced(cart: Cart): Promise<PricedCart> {
    if (cart.isEmpty) return cart.priceWith([]);
    return cart.priceWith(await this.products.findMany(cart.lines.map((line) => line.productId)));
  }
}

const stockLines = (lines: readonly CartLine[]) =>
  lines.map(({ productId, quantity }) => ({ productId, quantity }));
