import { Actor } from '../../../common/auth/actor';
import { ForbiddenError, ValidationFailedError } from '../../../common/errors/common.errors';
import { AppConfig } from '../../../config/app-config';
import { Balance } from '../domain/balance';
import { BalanceEntry, NewBalanceEntry } from '../domain/balance-entry';
import { BalanceEntryPage, BalanceRepository } from '../domain/balance.repository';
import { BalanceLimitExceededError } from '../domain/errors/balance-limit-exceeded.error';
import { InsufficientBalanceError } from '../domain/errors/insufficient-balance.error';
import { BalanceService } from './balance.service';
import { FakeClock } from '../../../../test/support/fake-clock';
import { FakeTransactionRunner } from '../../../../test/support/fake-transaction-runner';

class InMemoryBalanceRepository extends BalanceRepository {
  amounts = new Map<number, number>();
  entries: BalanceEntry[] = [];
  locked: number[] = [];
  saves = 0;

  async findByUserId(userId: number): Promise<Balance> {
    return new Balance({ userId, amount: this.amounts.get(userId) ?? 0 });
  }

  async lockForUpdate(userId: number): Promise<Balance> {
    this.locked.push(userId);
    if (!this.amounts.has(userId)) this.amounts.set(userId, 0);
    return new Balance({ userId, amount: this.amounts.get(userId)! });
  }

  async save(balance: Balance): Promise<void> {
    this.saves++;
    this.amounts.set(balance.userId, balance.amount);
  }

  async append(entry: NewBalanceEntry): Promise<void> {
    this.entries.push({ ...entry, id: this.entries.length + 1 });
  }

  async findEntries(userId: number, page: number, size: number): Promise<BalanceEntryPage> {
    const mine = this.entries.filter((e) => e.userId === userId).sort((a, b) => b.id - a.id);
    return { items: mine.slice((page - 1) * size, page * size), totalItems: mine.length };
  }
}

describe('BalanceService', () => {
  const config = Object.assign(new AppConfig(), { chargeMax: 1_000, balanceMax: 3_000 });
  const user = new Actor(1, false);
  const other = new Actor(2, false);
  const admin = new Actor(99, true);
  let repo: InMemoryBalanceRepository;
  let clock: FakeClock;
  let transactions: FakeTransactionRunner;
  let service: BalanceService;

  beforeEach(() => {
    repo = new InMemoryBalanceRepository();
    clock = new FakeClock(new Date('2026-03-04T05:06:07.000Z'));
    transactions = new FakeTransactionRunner();
    service = new BalanceService(repo, transactions.runner, clock, config);
  });

  // As the order module calls them: inside the payment's or the cancel's transaction.
  const use = (userId: number, amount: number, orderId: number) =>
    transactions.run(() => service.use(userId, amount, orderId));
  const refund = (userId: number, amount: number, orderId: number) =>
    transactions.run(() => service.refund(userId, amount, orderId));

  describe('get', () => {
    it('is 0 for a user who never charged', async () => {
      expect(await service.get(user, 1)).toMatchObject({ userId: 1, amount: 0 });
    });

    it("is forbidden for another user's balance, allowed for an admin", async () => {
      repo.amounts.set(1, 500);
      await expect(service.get(other, 1)).rejects.toBeInstanceOf(ForbiddenError);
      expect((await service.get(admin, 1)).amount).toBe(500);
    });
  });

  describe('charge', () => {
    it('adds the amount under the row lock and writes a ledger entry with the balance after', async () => {
      const first = await service.charge(user, 1, 400);
      const second = await service.charge(user, 1, 600);

      expect(first.amount).toBe(400);
      expect(second.amount).toBe(1_000);
      expect(repo.amounts.get(1)).toBe(1_000);
      expect(repo.locked).toEqual([1, 1]);
      expect(transactions.runs).toBe(2);
      expect(repo.entries).toEqual([
        {
          id: 1,
          userId: 1,
          type: 'CHARGE',
          amount: 400,
          balanceAfter: 400,
          orderId: null,
          createdAt: clock.current,
        },
        {
          id: 2,
          userId: 1,
          type: 'CHARGE',
          amount: 600,
          balanceAfter: 1_000,
          orderId: null,
          createdAt: clock.current,
        },
      ]);
    });

    it("is forbidden for another user's balance and changes nothing", async () => {
      await expect(service.charge(other, 1, 100)).rejects.toBeInstanceOf(ForbiddenError);
      expect(repo.locked).toEqual([]);
      expect(repo.entries).toEqual([]);
    });

    it("lets an admin charge anyone's balance", async () => {
      expect((await service.charge(admin, 5, 100)).amount).toBe(100);
      expect(repo.entries[0]).toMatchObject({ userId: 5 });
    });

    it.each([0, -1, 1.5, 1_001])('rejects the amount %p before taking a lock', async (amount) => {
      await expect(service.charge(user, 1, amount)).rejects.toBeInstanceOf(ValidationFailedError);
      expect(repo.locked).toEqual([]);
      expect(transactions.runs).toBe(0);
    });

    it('refuses to pass balanceMax with BALANCE_LIMIT_EXCEEDED and writes nothing', async () => {
      repo.amounts.set(1, 2_500);
      await expect(service.charge(user, 1, 501)).rejects.toBeInstanceOf(BalanceLimitExceededError);
      expect(repo.amounts.get(1)).toBe(2_500);
      expect(repo.saves).toBe(0);
      expect(repo.entries).toEqual([]);
    });

    it('may fill up to balanceMax exactly', async () => {
      repo.amounts.set(1, 2_500);
      expect((await service.charge(user, 1, 500)).amount).toBe(3_000);
    });
  });

  describe('use', () => {
    it('takes the amount and records the order', async () => {
      repo.amounts.set(1, 800);
      const balance = await use(1, 300, 17);
      expect(balance.amount).toBe(500);
      expect(repo.entries).toEqual([
        {
          id: 1,
          userId: 1,
          type: 'USE',
          amount: 300,
          balanceAfter: 500,
          orderId: 17,
          createdAt: clock.current,
        },
      ]);
    });

    it('refuses more than the balance with INSUFFICIENT_BALANCE and writes nothing', async () => {
      repo.amounts.set(1, 200);
      await expect(use(1, 201, 17)).rejects.toBeInstanceOf(InsufficientBalanceError);
      expect(repo.amounts.get(1)).toBe(200);
      expect(repo.entries).toEqual([]);
    });

    it("runs only inside the caller's transaction: alone, it locks and writes nothing", async () => {
      repo.amounts.set(1, 800);
      await expect(service.use(1, 300, 17)).rejects.toThrow('inside a transaction');
      await expect(service.refund(1, 300, 17)).rejects.toThrow('inside a transaction');
      expect(repo.locked).toEqual([]);
      expect(repo.entries).toEqual([]);
    });

    it('is not bound by chargeMax', async () => {
      repo.amounts.set(1, 3_000);
      expect((await use(1, 2_000, 1)).amount).toBe(1_000);
    });
  });

  describe('refund', () => {
    it('gives the amount back and records the order', async () => {
      repo.amounts.set(1, 100);
      expect((await refund(1, 2_000, 9)).amount).toBe(2_100);
      expect(repo.entries).toEqual([
        {
          id: 1,
          userId: 1,
          type: 'REFUND',
          amount: 2_000,
          balanceAfter: 2_100,
          orderId: 9,
          createdAt: clock.current,
        },
      ]);
    });

    it('passes balanceMax when it must: a refund always succeeds', async () => {
      repo.amounts.set(1, 2_900);
      expect((await refund(1, 101, 9)).amount).toBe(3_001);
      expect(repo.entries).toEqual([
        expect.objectContaining({ type: 'REFUND', balanceAfter: 3_001 }),
      ]);
    });
  });

  describe('history', () => {
    it('pages the ledger newest first with totals', async () => {
      for (const amount of [100, 200, 300]) await service.charge(user, 1, amount);
      await service.charge(admin, 2, 50);

      const first = await service.history(user, 1, 1, 2);
      const second = await service.history(user, 1, 2, 2);

      expect(first.items.map((e) => e.amount)).toEqual([300, 200]);
      expect(first).toMatchObject({ page: 1, size: 2, totalItems: 3, totalPages: 2 });
      expect(second.items.map((e) => e.amount)).toEqual([100]);
    });

    it("is forbidden for another user's ledger, allowed for an admin", async () => {
      await expect(service.history(other, 1, 1, 20)).rejects.toBeInstanceOf(ForbiddenError);
      expect((await service.history(admin, 1, 1, 20)).totalItems).toBe(0);
    });
  });
});
