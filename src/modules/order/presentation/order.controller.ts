import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor } from '../../../common/auth/actor';
import { Authenticated, CurrentActor } from '../../../common/auth/auth.decorators';
import { ApiErrors } from '../../../common/errors/api-errors.decorator';
import { Idempotent } from '../../../common/idempotency/idempotent.decorator';
import { mapPage } from '../../../common/pagination/page';
import { PageQueryDto } from '../../../common/pagination/page-query.dto';
import { IdParam } from '../../../common/validation/id-param';
import { InsufficientBalanceError } from '../../balance';
import { CouponNotUsableError, IssuedCouponNotFoundError } from '../../coupon';
import { OutOfStockError, ProductNotFoundError } from '../../product';
import { OrderService } from '../application/order.service';
import { OrderNotCancellableError } from '../domain/errors/order-not-cancellable.error';
import { OrderNotFoundError } from '../domain/errors/order-not-found.error';
import { OrderNotPayableError } from '../domain/errors/order-not-payable.error';
import { OrderPageResponse, OrderResponse } from './dto/order.response';
import { PlaceOrderDto } from './dto/place-order.dto';

@ApiTags('orders')
@Authenticated()
@Controller()
export class OrderController {
  constructor(private readonly orders: OrderService) {}

  @Post('orders')
  @Idempotent()
  @ApiOperation({
    operationId: 'placeOrder',
    summary: 'Place an order: stock is reserved at once, the coupon is used',
    description:
      'All lines or none. The order must be paid before `expiresAt` (ORDER_PAYMENT_TTL_SECONDS).',
  })
  @ApiBody({
    type: PlaceOrderDto,
    examples: {
      twoLines: {
        summary: 'Two products, no coupon',
        value: {
          userId: 1,
          items: [
            { productId: 1, quantity: 2 },
            { productId: 3, quantity: 1 },
          ],
        },
      },
      withCoupon: {
        summary: 'One product with an issued coupon',
        value: { userId: 1, items: [{ productId: 1, quantity: 1 }], issuedCouponId: 10 },
      },
    },
  })
  @ApiCreatedResponse({ type: OrderResponse })
  @ApiErrors(
    400,
    403,
    ProductNotFoundError,
    IssuedCouponNotFoundError,
    OutOfStockError,
    CouponNotUsableError,
    429,
  )
  async place(@CurrentActor() actor: Actor, @Body() body: PlaceOrderDto): Promise<OrderResponse> {
    const order = await this.orders.place(actor, {
      userId: body.userId,
      items: body.items.map(({ productId, quantity }) => ({ productId, quantity })),
      issuedCouponId: body.issuedCouponId,
    });
    return OrderResponse.from(order);
  }

  @Get('orders/:orderId')
  @ApiOperation({ operationId: 'getOrder', summary: 'Get an order (owner or admin)' })
  @ApiOkResponse({ type: OrderResponse })
  @ApiErrors(400, 403, OrderNotFoundError, 429)
  async get(
    @CurrentActor() actor: Actor,
    @IdParam('orderId') orderId: number,
  ): Promise<OrderResponse> {
    return OrderResponse.from(await this.orders.get(actor, orderId));
  }

  @Post('orders/:orderId/payment')
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({ operationId: 'payOrder', summary: 'Pay an order from the balance' })
  @ApiOkResponse({ type: OrderResponse, description: 'The order, now PAID, with `payment`' })
  @ApiErrors(400, 403, OrderNotFoundError, OrderNotPayableError, InsufficientBalanceError, 429)
  async pay(
    @CurrentActor() actor: Actor,
    @IdParam('orderId') orderId: number,
  ): Promise<OrderResponse> {
    return OrderResponse.from(await this.orders.pay(actor, orderId));
  }

  @Post('orders/:orderId/cancel')
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({
    operationId: 'cancelOrder',
    summary: 'Cancel a pending or paid order',
    description:
      'Stock returns, the coupon becomes AVAILABLE again (unless expired), a paid amount is refunded. ' +
      'A refund always succeeds, even where the balance then ends above BALANCE_MAX (which limits charges only).',
  })
  @ApiOkResponse({ type: OrderResponse })
  @ApiErrors(400, 403, OrderNotFoundError, OrderNotCancellableError, 429)
  async cancel(
    @CurrentActor() actor: Actor,
    @IdParam('orderId') orderId: number,
  ): Promise<OrderResponse> {
    return OrderResponse.from(await this.orders.cancel(actor, orderId));
  }

  @Get('users/:userId/orders')
  @ApiOperation({ operationId: 'listUserOrders', summary: "A user's orders, newest first" })
  @ApiOkResponse({ type: OrderPageResponse })
  @ApiErrors(400, 403, 429)
  async listForUser(
    @CurrentActor() actor: Actor,
    @IdParam('userId') userId: number,
    @Query() query: PageQueryDto,
  ): Promise<OrderPageResponse> {
    return mapPage(
      await this.orders.listForUser(actor, userId, query.page, query.size),
      OrderResponse.from,
    );
  }
}
