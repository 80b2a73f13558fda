import { Injectable } from '@nestjs/common';
import { Actor } from '../../../common/auth/actor';
import { Clock } from '../../../common/clock/clock';
import { TransactionRunner } from '../../../common/database/transaction-runner';
import { Page, pageOf } from '../../../common/pagination/page';
import { AppConfig } from '../../../config/app-config';
import { Balance, BalanceChangeType, BalanceLimits } from '../domain/balance';
import { BalanceEntry } from '../domain/balance-entry';
import { BalanceRepository } from '../domain/balance.repository';

@Injectable()
export class BalanceService {
  private readonly limits: BalanceLimits;

  constructor(
    private readonly balances: BalanceRepository,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    config: AppConfig,
  ) {
    this.limits = { chargeMax: config.chargeMax, balanceMax: config.balanceMax };
  }

  async get(actor: Actor, userId: number): Promise<Balance> {
    actor.assertCanActFor(userId);
    return this.balances.findByUserId(userId);
  }

  async charge(actor: Actor, userId: number, amount: number): Promise<Balance> {
    actor.assertCanActFor(userId);
    Balance.assertChargeAmount(amount, this.limits);
    return this.transactions.run(() =>
      this.change(userId, 'CHARGE', amount, null, (balance) => balance.charge(amount, this.limits)),
    );
  }

  async history(
    actor: Actor,
    userId: number,
    page: number,
    size: number,
  ): Promise<Page<BalanceEntry>> {
    actor.assertCanActFor(userId);
    const result = await this.balances.findEntries(userId, page, size);
    return pageOf(result.items, page, size, result.totalItems);
  }

  /** Pays for an order; runs inside the caller's transaction. */
  async use(userId: number, amount: number, orderId: number): Promise<Balance> {
    this.transactions.requireTransaction();
    return this.change(userId, 'USE', amount, orderId, (balance) => balance.use(amount));
  }

  /** Gives a paid amount back, BALANCE_MAX or not; runs inside the caller's transaction. */
  async refund(userId: number, amount: number, orderId: number): Promise<Balance> {
    this.transactions.requireTransaction();
    return this.change(userId, 'REFUND', amount, orderId, (balance) => balance.refund(amount));
  }

  /**
   * Locks the balance row, applies the rule, writes the balance and its ledger row together, in
   * the transaction of `charge` or of the order's payment or refund.
   */
  private async change(
    userId: number,
    type: BalanceChangeType,
    amount: number,
    orderId: number | null,
    apply: (balance: Balance) => void,
  ): Promise<Balance> {
    const balance = await this.balances.lockForUpdate(userId);
    apply(balance);
    const now = this.clock.now();
    await this.balances.save(balance, now);
    await this.balances.append({
      userId,
      type,
      amount,
      balanceAfter: balance.amount,
      orderId,
      createdAt: now,
    });
    return balance;
  }
}
