import { ValidationFailedError } from '../../../common/errors/common.errors';
import { Balance, BalanceLimits } from './balance';
import { BalanceLimitExceededError } from './errors/balance-limit-exceeded.error';
import { InsufficientBalanceError } from './errors/insufficient-balance.error';

describe('Balance', () => {
  const limits: BalanceLimits = { chargeMax: 1_000, balanceMax: 5_000 };

  describe('assertChargeAmount', () => {
    it.each([1, 500, 1_000])('accepts %p', (amount) => {
      expect(() => Balance.assertChargeAmount(amount, limits)).not.toThrow();
    });

    it.each([0, -1, 1.5, 1_001, NaN, Infinity, Number.MAX_SAFE_INTEGER + 2])(
      'rejects %p as VALIDATION_FAILED on amount',
      (amount) => {
        let caught: unknown;
        try {
          Balance.assertChargeAmount(amount, limits);
        } catch (error) {
          caught = error;
        }
        expect(caught).toBeInstanceOf(ValidationFailedError);
        expect((caught as ValidationFailedError).details).toEqual([
          { field: 'amount', reason: 'amount must be an integer from 1 to 1000' },
        ]);
      },
    );
  });

  describe('charge', () => {
    it('adds the amount', () => {
      const balance = new Balance({ userId: 1, amount: 100 });
      balance.charge(900, limits);
      expect(balance.amount).toBe(1_000);
      expect(balance.userId).toBe(1);
    });

    it('may reach balanceMax exactly', () => {
      const balance = new Balance({ userId: 1, amount: 4_000 });
      balance.charge(1_000, limits);
      expect(balance.amount).toBe(5_000);
    });

    it('refuses to go above balanceMax with BALANCE_LIMIT_EXCEEDED and keeps the amount', () => {
      const balance = new Balance({ userId: 1, amount: 4_500 });
      expect(() => balance.charge(501, limits)).toThrow(BalanceLimitExceededError);
      expect(balance.amount).toBe(4_500);
    });

    it('refuses an amount above chargeMax even when the balance has room', () => {
      const balance = new Balance({ userId: 1, amount: 0 });
      expect(() => balance.charge(1_001, limits)).toThrow(ValidationFailedError);
      expect(balance.amount).toBe(0);
    });

    it.each([0, -5, 2.5])('refuses the amount %p', (amount) => {
      const balance = new Balance({ userId: 1, amount: 10 });
      expect(() => balance.charge(amount, limits)).toThrow(ValidationFailedError);
      expect(balance.amount).toBe(10);
    });
  });

  describe('use', () => {
    it('takes the amount, down to exactly 0', () => {
      const balance = new Balance({ userId: 1, amount: 300 });
      balance.use(100);
      expect(balance.amount).toBe(200);
      balance.use(200);
      expect(balance.amount).toBe(0);
    });

    it('refuses more than the balance with INSUFFICIENT_BALANCE and keeps the amount', () => {
      const balance = new Balance({ userId: 1, amount: 300 });
      expect(() => balance.use(301)).toThrow(InsufficientBalanceError);
      expect(new InsufficientBalanceError(301, 300).code).toBe('INSUFFICIENT_BALANCE');
      expect(balance.amount).toBe(300);
    });

    it('is not limited by chargeMax', () => {
      const balance = new Balance({ userId: 1, amount: 5_000 });
      balance.use(4_000);
      expect(balance.amount).toBe(1_000);
    });

    it.each([0, -1, 0.5, NaN])('refuses the amount %p', (amount) => {
      const balance = new Balance({ userId: 1, amount: 300 });
      expect(() => balance.use(amount)).toThrow(ValidationFailedError);
      expect(balance.amount).toBe(300);
    });
  });

  describe('refund', () => {
    it('adds the amount back, even above chargeMax', () => {
      const balance = new Balance({ userId: 1, amount: 0 });
      balance.refund(3_000);
      expect(balance.amount).toBe(3_000);
    });

    it('always succeeds: the balance may end above balanceMax, which limits charges only', () => {
      const balance = new Balance({ userId: 1, amount: limits.balanceMax });
      balance.refund(1_001);
      expect(balance.amount).toBe(limits.balanceMax + 1_001);
    });

    it.each([0, -1, 1.25])('refuses the amount %p', (amount) => {
      const balance = new Balance({ userId: 1, amount: 1 });
      expect(() => balance.refund(amount)).toThrow(ValidationFailedError);
      expect(balance.amount).toBe(1);
    });
  });
});
