/** The order module's front door: all that other modules may use of it. */
export { OrderModule } from './order.module';
export { OrderService, PlaceOrderCommand } from './application/order.service';
export { Order } from './domain/order';
export { MAX_LINE_QUANTITY, MAX_ORDER_LINES, OrderLine, orderLine } from './domain/order-line';
export { OrderResponse } from './presentation/dto/order.response';
export { IssuedCouponIdProperty } from './presentation/dto/issued-coupon-id.property';
