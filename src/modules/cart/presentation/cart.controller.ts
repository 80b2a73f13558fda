import { Body, Controller, Delete, Get, HttpCode, Post, Put } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor } from '../../../common/auth/actor';
import { Authenticated, CurrentActor } from '../../../common/auth/auth.decorators';
import { ApiErrors } from '../../../common/errors/api-errors.decorator';
import { Idempotent } from '../../../common/idempotency/idempotent.decorator';
import { IdParam } from '../../../common/validation/id-param';
import { CouponNotUsableError, IssuedCouponNotFoundError } from '../../coupon';
import { OrderResponse } from '../../order';
import { OutOfStockError, ProductNotFoundError } from '../../product';
import { CartService } from '../application/cart.service';
import { MAX_CART_LINES } from '../domain/cart';
import { CartEmptyError } from '../domain/errors/cart-empty.error';
import { CartResponse } from './dto/cart.response';
import { CheckoutCartDto } from './dto/checkout-cart.dto';
import { SetCartItemDto } from './dto/set-cart-item.dto';

@ApiTags('cart')
@Authenticated()
@Controller('users/:userId/cart')
export class CartController {
  constructor(private readonly carts: CartService) {}

  @Get()
  @ApiOperation({
    operationId: 'getCart',
    summary: "A user's cart, priced live",
    description:
      "Each line shows the product's current name, price and stock; items are ordered by productId.",
  })
  @ApiOkResponse({ type: CartResponse })
  @ApiErrors(400, 403, 429)
  async get(
    @CurrentActor() actor: Actor,
    @IdParam('userId') userId: number,
  ): Promise<CartResponse> {
    return CartResponse.from(await this.carts.get(actor, userId));
  }

  @Put('items/:productId')
  @ApiOperation({
    operationId: 'setCartItem',
    summary: "Set a product's quantity in the cart (adds the line if absent)",
    description:
      'The quantity may be above the current stock (the cart shows `stock`; checkout then fails with ' +
      `OUT_OF_STOCK). A cart holds at most ${MAX_CART_LINES} products, the most one order can take: adding ` +
      `a product beyond that is 400 VALIDATION_FAILED.`,
  })
  @ApiBody({ type: SetCartItemDto, examples: { twoUnits: { value: { quantity: 2 } } } })
  @ApiOkResponse({ type: CartResponse, description: 'The whole cart after the change' })
  @ApiErrors(400, 403, ProductNotFoundError, 429)
  async setItem(
    @CurrentActor() actor: Actor,
    @IdParam('userId') userId: number,
    @IdParam('productId') productId: number,
    @Body() body: SetCartItemDto,
  ): Promise<CartResponse> {
    return CartResponse.from(await this.carts.setItem(actor, userId, productId, body.quantity));
  }

  @Delete('items/:productId')
  @ApiOperation({
    operationId: 'removeCartItem',
    summary: "Remove a product's line from the cart",
    description:
      'A product that is not in the cart (or does not exist) is not an error: 200 with the cart.',
  })
  @ApiOkResponse({ type: CartResponse, description: 'The whole cart after the change' })
  @ApiErrors(400, 403, 429)
  async removeItem(
    @CurrentActor() actor: Actor,
    @IdParam('userId') userId: number,
    @IdParam('productId') productId: number,
  ): Promise<CartResponse> {
    return CartResponse.from(await this.carts.removeItem(actor, userId, productId));
  }

  @Delete()
  @ApiOperation({ operationId: 'clearCart', summary: 'Empty the cart' })
  @ApiOkResponse({ type: CartResponse, description: 'The empty cart' })
  @ApiErrors(400, 403, 429)
  async clear(
    @CurrentActor() actor: Actor,
    @IdParam('userId') userId: number,
  ): Promise<CartResponse> {
    return CartResponse.from(await this.carts.clear(actor, userId));
  }

  @Post('checkout')
  @HttpCode(201)
  @Idempotent()
  @ApiOperation({
    operationId: 'checkoutCart',
    summary: 'Order the cart: every line, or only the named products',
    description:
      'Places one order (as `POST /orders`, at the current prices) from the lines and removes exactly those ' +
      'lines from the cart, in one transaction. Any failure (OUT_OF_STOCK, COUPON_NOT_USABLE, ...) leaves the ' +
      'cart as it was and creates no order. Nothing to check out (empty cart, or none of `productIds` in it): ' +
      '409 CART_EMPTY. Two checkouts of one cart never order a line twice.',
  })
  @ApiBody({
    type: CheckoutCartDto,
    required: false,
    examples: {
      everything: { summary: 'Every line', value: {} },
      someLines: {
        summary: 'Only two products, with a coupon',
        value: { productIds: [1, 3], issuedCouponId: 10 },
      },
    },
  })
  @ApiCreatedResponse({ type: OrderResponse, description: 'The order, PENDING_PAYMENT' })
  @ApiErrors(
    400,
    403,
    ProductNotFoundError,
    IssuedCouponNotFoundError,
    CartEmptyError,
    OutOfStockError,
    CouponNotUsableError,
    429,
  )
  async checkout(
    @CurrentActor() actor: Actor,
    @IdParam('userId') userId: number,
    @Body() body: CheckoutCartDto,
  ): Promise<OrderResponse> {
    const order = await this.carts.checkout(actor, userId, {
      productIds: body.productIds,
      issuedCouponId: body.issuedCouponId,
    });
    return OrderResponse.from(order);
  }
}
