/** The coupon module's front door: all that other modules may use of it. */
export { CouponModule } from './coupon.module';
export { CouponService } from './application/coupon.service';
export { CouponNotUsableError } from './domain/errors/coupon-not-usable.error';
export { IssuedCouponNotFoundError } from './domain/errors/issued-coupon-not-found.error';
export { installSoldOutAnswers } from './presentation/sold-out-answers';
