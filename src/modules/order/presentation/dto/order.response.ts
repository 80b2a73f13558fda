import { ApiProperty } from '@nestjs/swagger';
import { PageResponseDto } from '../../../../common/pagination/page-response.dto';
import { Order } from '../../domain/order';
import { ORDER_STATUSES } from '../../domain/order-status';

export class OrderItemResponse {
  @ApiProperty({ example: 1 })
  productId!: number;

  @ApiProperty({ example: 'Wireless Earbuds', description: 'Name when the order was placed' })
  name!: string;

  @ApiProperty({ example: 89000, description: 'KRW, price when the order was placed' })
  unitPrice!: number;

  @ApiProperty({ example: 2 })
  quantity!: number;

  @ApiProperty({ example: 178000, description: 'unitPrice × quantity' })
  amount!: number;
}

export class PaymentResponse {
  @ApiProperty({ example: 5 })
  id!: number;

  @ApiProperty({ example: 168000, description: 'KRW taken from the balance' })
  amount!: number;

  @ApiProperty({ example: '2026-11-25T12:03:00.000Z', format: 'date-time' })
  paidAt!: string;

  @ApiProperty({
    example: null,
    nullable: true,
    type: String,
    format: 'date-time',
    description: 'Set when a cancellation refunded it',
  })
  refundedAt!: string | null;
}

export class OrderResponse {
  @ApiProperty({ example: 42 })
  id!: number;

  @ApiProperty({ example: 1 })
  userId!: number;

  @ApiProperty({ enum: ORDER_STATUSES, example: 'PENDING_PAYMENT' })
  status!: string;

  @ApiProperty({ type: [OrderItemResponse] })
  items!: OrderItemResponse[];

  @ApiProperty({ example: 178000 })
  totalAmount!: number;

  @ApiProperty({ example: 10000 })
  discountAmount!: number;

  @ApiProperty({ example: 168000, description: 'totalAmount - discountAmount' })
  payAmount!: number;

  @ApiProperty({ example: null, nullable: true, type: Number })
  issuedCouponId!: number | null;

  @ApiProperty({ example: '2026-11-25T12:00:00.000Z', format: 'date-time' })
  createdAt!: string;

  @ApiProperty({
    example: '2026-11-25T12:10:00.000Z',
    format: 'date-time',
    description: 'Unpaid after this, the order expires',
  })
  expiresAt!: string;

  @ApiProperty({ example: null, nullable: true, type: String, format: 'date-time' })
  paidAt!: string | null;

  @ApiProperty({
    example: null,
    nullable: true,
    type: String,
    format: 'date-time',
    description: 'When it was cancelled or expired',
  })
  closedAt!: string | null;

  @ApiProperty({ type: PaymentResponse, nullable: true, description: 'Set once the order is paid' })
  payment!: PaymentResponse | null;

  static from(order: Order): OrderResponse {
    const payment = order.payment;
    return {
      id: order.id,
      userId: order.userId,
      status: order.status,
      items: order.items.map((line) => ({ ...line })),
      totalAmount: order.totalAmount,
      discountAmount: order.discountAmount,
      payAmount: order.payAmount,
      issuedCouponId: order.issuedCouponId,
      createdAt: order.createdAt.toISOString(),
      expiresAt: order.expiresAt.toISOString(),
      paidAt: order.paidAt?.toISOString() ?? null,
      closedAt: order.closedAt?.toISOString() ?? null,
      payment: payment
        ? {
            id: payment.id,
            amount: payment.amount,
            paidAt: payment.paidAt.toISOString(),
            refundedAt: payment.refundedAt?.toISOString() ?? null,
          }
        : null,
    };
  }
}

export class OrderPageResponse extends PageResponseDto(OrderResponse, 'OrderPageBase') {}
