import { Actor } from '../../../common/auth/actor';
import { FakeClock } from '../../../../test/support/fake-clock';
import { FakeTransactionRunner } from '../../../../test/support/fake-transaction-runner';
import { ForbiddenError, ValidationFailedError } from '../../../common/errors/common.errors';
import { Coupon, CouponProps, NewCoupon } from '../domain/coupon';
import {
  CouponIssueCheck,
  CouponRepository,
  IssuedCouponDetails,
} from '../domain/coupon.repository';
import { CouponTerms } from '../domain/coupon-terms';
import { CouponAlreadyIssuedError } from '../domain/errors/coupon-already-issued.error';
import { CouponNotFoundError } from '../domain/errors/coupon-not-found.error';
import { CouponNotIssuableError } from '../domain/errors/coupon-not-issuable.error';
import { CouponNotUsableError } from '../domain/errors/coupon-not-usable.error';
import { CouponSoldOutError } from '../domain/errors/coupon-sold-out.error';
import { IssuedCouponNotFoundError } from '../domain/errors/issued-coupon-not-found.error';
import { DAY_MS } from '../../../common/clock/durations';
import {
  IssuedCoupon,
  IssuedCouponProps,
  IssuedCouponStatus,
  NewIssuedCoupon,
} from '../domain/issued-coupon';
import { CouponService } from './coupon.service';
import { Metrics } from '../../../common/metrics/metrics';
import { ProcessCaches } from '../../../common/cache/process-caches';

/**
 * In-memory fake of the port. It stores plain copies (never the domain objects it was given), like
 * a database, enforces the one-copy-per-user unique key, and records every call.
 */
class InMemoryCouponRepository extends CouponRepository {
  readonly coupons = new Map<number, CouponProps>();
  readonly issued = new Map<number, IssuedCouponProps>();
  readonly calls: string[] = [];
  private nextCouponId = 1;
  private nextIssuedId = 1;

  async create(coupon: NewCoupon, now: Date): Promise<Coupon> {
    this.calls.push('create');
    const props = { ...coupon, id: this.nextCouponId++, issuedQuantity: 0, createdAt: now };
    this.coupons.set(props.id, props);
    return new Coupon({ ...props });
  }

  async findById(id: number): Promise<Coupon | null> {
    this.calls.push('findById');
    const props = this.coupons.get(id);
    return props ? new Coupon({ ...props }) : null;
  }

  async findForIssue(couponId: number, userId: number): Promise<CouponIssueCheck | null> {
    this.calls.push('findForIssue');
    const props = this.coupons.get(couponId);
    if (!props) return null;
    const alreadyIssued = [...this.issued.values()].some(
      (i) => i.couponId === couponId && i.userId === userId,
    );
    return { coupon: new Coupon({ ...props }), alreadyIssued };
  }

  async findByIdForUpdate(id: number): Promise<Coupon | null> {
    this.calls.push('findByIdForUpdate');
    const props = this.coupons.get(id);
    return props ? new Coupon({ ...props }) : null;
  }

  async saveIssuedQuantity(coupon: Coupon): Promise<void> {
    this.calls.push('saveIssuedQuantity');
    this.coupons.get(coupon.id)!.issuedQuantity = coupon.issuedQuantity;
  }

  async insertIssued(issued: NewIssuedCoupon): Promise<IssuedCoupon> {
    this.calls.push('insertIssued');
    const duplicate = [...this.issued.values()].some(
      (i) => i.couponId === issued.couponId && i.userId === issued.userId,
    );
    if (duplicate) throw new CouponAlreadyIssuedError(issued.couponId, issued.userId);
    const id = this.nextIssuedId++;
    this.issued.set(id, { ...issued, id });
    return new IssuedCoupon({ ...issued, id });
  }

  async findHolders(couponId: number, userIds: number[]): Promise<Set<number>> {
    this.calls.push('findHolders');
    return new Set(
      [...this.issued.values()]
        .filter((i) => i.couponId === couponId && userIds.includes(i.userId))
        .map((i) => i.userId),
    );
  }

  async findAllHolders(couponId: number): Promise<number[]> {
    this.calls.push('findAllHolders');
    return [...this.issued.values()].filter((i) => i.couponId === couponId).map((i) => i.userId);
  }

  async insertIssuedMany(issued: NewIssuedCoupon[]): Promise<IssuedCoupon[]> {
    this.calls.push('insertIssuedMany');
    const saved: IssuedCoupon[] = [];
    for (const one of issued) {
      const duplicate = [...this.issued.values()].some(
        (i) => i.couponId === one.couponId && i.userId === one.userId,
      );
      if (duplicate) throw new CouponAlreadyIssuedError(one.couponId, one.userId);
      const id = this.nextIssuedId++;
      this.issued.set(id, { ...one, id });
      saved.push(new IssuedCoupon({ ...one, id }));
    }
    return saved;
  }

  async findTerms(couponId: number): Promise<CouponTerms | null> {
    this.calls.push('findTerms');
    const props = this.coupons.get(couponId);
    return props ? new Coupon({ ...props }).terms : null;
  }

  async findIssuedDetails(id: number): Promise<IssuedCouponDetails | null> {
    this.calls.push('findIssuedDetails');
    const props = this.issued.get(id);
    if (!props) return null;
    const terms = new Coupon({ ...this.coupons.get(props.couponId)! }).terms;
    return { issuedCoupon: new IssuedCoupon({ ...props }), terms };
  }

  async findIssuedByIdForUpdate(id: number): Promise<IssuedCoupon | null> {
    this.calls.push('findIssuedByIdForUpdate');
    const props = this.issued.get(id);
    return props ? new IssuedCoupon({ ...props }) : null;
  }

  async saveIssuedState(issued: IssuedCoupon): Promise<void> {
    this.calls.push('saveIssuedState');
    const row = this.issued.get(issued.id)!;
    row.status = issued.storedStatus;
    row.usedAt = issued.usedAt;
  }

  async findIssuedByUser(
    userId: number,
    status: IssuedCouponStatus | null,
    now: Date,
  ): Promise<IssuedCouponDetails[]> {
    this.calls.push('findIssuedByUser');
    return [...this.issued.values()]
      .filter((i) => i.userId === userId)
      .map((i) => new IssuedCoupon({ ...i }))
      .filter((i) => status === null || i.statusAt(now) === status)
      .sort((a, b) => b.id - a.id)
      .map((issuedCoupon) => ({
        issuedCoupon,
        terms: new Coupon({ ...this.coupons.get(issuedCoupon.couponId)! }).terms,
      }));
  }

  /** Test helper: stores a coupon directly. */
  seed(overrides: Partial<CouponProps> = {}): CouponProps {
    const props: CouponProps = {
      id: this.nextCouponId++,
      name: 'Welcome',
      discountType: 'FIXED',
      discountValue: 5_000,
      maxDiscountAmount: null,
      minOrderAmount: 10_000,
      totalQuantity: 100,
      issuedQuantity: 0,
      issueStartsAt: null,
      issueEndsAt: null,
      validDays: 30,
      createdAt: new Date(0),
      ...overrides,
    };
    this.coupons.set(props.id, props);
    return props;
  }
}

describe('CouponService', () => {
  const START = new Date('2026-11-25T12:00:00.000Z');
  const user = new Actor(42, false);
  const admin = new Actor(1, true);
  let repository: InMemoryCouponRepository;
  let transactions: FakeTransactionRunner;
  let clock: FakeClock;
  let service: CouponService;

  beforeEach(() => {
    repository = new InMemoryCouponRepository();
    transactions = new FakeTransactionRunner();
    clock = new FakeClock(START);
    service = new CouponService(
      repository,
      transactions.runner,
      clock,
      new Metrics(),
      new ProcessCaches(),
    );
  });

  // As the order module calls them: inside the order's transaction.
  const useIssuedCoupon = (id: number, userId: number, orderAmount: number) =>
    transactions.run(() => service.useIssuedCoupon(id, userId, orderAmount));
  const restoreIssuedCoupon = (id: number) =>
    transactions.run(() => service.restoreIssuedCoupon(id));

  describe('create', () => {
    it('validates, applies defaults and stores the coupon at now', async () => {
      const coupon = await service.create({
        name: ' Welcome ',
        discountType: 'RATE',
        discountValue: 10,
        totalQuantity: 50,
        validDays: 7,
      });
      expect(coupon.id).toBe(1);
      expect(coupon.name).toBe('Welcome');
      expect(coupon.terms.minOrderAmount).toBe(0);
      expect(coupon.terms.maxDiscountAmount).toBeNull();
      expect(coupon.issuedQuantity).toBe(0);
      expect(coupon.remainingQuantity).toBe(50);
      expect(coupon.createdAt).toEqual(START);
    });

    it('stores nothing when a field is invalid', async () => {
      await expect(
        service.create({
          name: 'x',
          discountType: 'RATE',
          discountValue: 101,
          totalQuantity: 1,
          validDays: 1,
        }),
      ).rejects.toBeInstanceOf(ValidationFailedError);
      expect(repository.calls).toEqual([]);
    });
  });

  describe('get', () => {
    it('returns the coupon or COUPON_NOT_FOUND', async () => {
      const { id } = repository.seed({ totalQuantity: 10, issuedQuantity: 3 });
      expect((await service.get(id)).remainingQuantity).toBe(7);
      await expect(service.get(999)).rejects.toBeInstanceOf(CouponNotFoundError);
    });
  });

  describe('issue', () => {
    it('issues a copy in one transaction: plain check, then lock, holders, insert, counter', async () => {
      const { id } = repository.seed({ validDays: 10 });

      const view = await service.issue(user, 42, id);

      expect(transactions.runs).toBe(1);
      expect(repository.calls).toEqual([
        'findForIssue',
        'findByIdForUpdate',
        'findHolders',
        'insertIssuedMany',
        'saveIssuedQuantity',
      ]);
      expect(view.status).toBe('AVAILABLE');
      expect(view.terms.name).toBe('Welcome');
      expect(view.issuedCoupon.id).toBe(1);
      expect(view.issuedCoupon.userId).toBe(42);
      expect(view.issuedCoupon.issuedAt).toEqual(START);
      expect(view.issuedCoupon.expiresAt.getTime()).toBe(START.getTime() + 10 * DAY_MS);
      expect(repository.coupons.get(id)!.issuedQuantity).toBe(1);
      expect(repository.issued.size).toBe(1);
    });

    it('lets an admin issue to anyone, and nobody else', async () => {
      const { id } = repository.seed();
      await expect(service.issue(admin, 42, id)).resolves.toBeDefined();
      await expect(service.issue(user, 43, id)).rejects.toBeInstanceOf(ForbiddenError);
      expect(repository.issued.size).toBe(1);
    });

    it('404 for a missing coupon, before any lock', async () => {
      await expect(service.issue(user, 42, 999)).rejects.toBeInstanceOf(CouponNotFoundError);
      expect(repository.calls).toEqual(['findForIssue']);
    });

    it('rejects a sold-out coupon before the lock', async () => {
      const { id } = repository.seed({ totalQuantity: 2, issuedQuantity: 2 });
      await expect(service.issue(user, 42, id)).rejects.toBeInstanceOf(CouponSoldOutError);
      expect(repository.calls).toEqual(['findForIssue']);
    });

    it('rejects a user who already holds it before the lock', async () => {
      const { id } = repository.seed();
      await service.issue(user, 42, id);
      repository.calls.length = 0;
      await expect(service.issue(user, 42, id)).rejects.toBeInstanceOf(CouponAlreadyIssuedError);
      expect(repository.calls).toEqual(['findForIssue']);
      expect(repository.coupons.get(id)!.issuedQuantity).toBe(1);
    });

    it('reports ALREADY_ISSUED rather than SOLD_OUT to the user who took the last one', async () => {
      const { id } = repository.seed({ totalQuantity: 1 });
      await service.issue(user, 42, id);
      await expect(service.issue(user, 42, id)).rejects.toBeInstanceOf(CouponAlreadyIssuedError);
      await expect(service.issue(new Actor(43, false), 43, id)).rejects.toBeInstanceOf(
        CouponSoldOutError,
      );
    });

    it('rejects outside the issue window: not yet open, then closed', async () => {
      const { id } = repository.seed({
        issueStartsAt: new Date(START.getTime() + 1_000),
        issueEndsAt: new Date(START.getTime() + 2_000),
      });
      await expect(service.issue(user, 42, id)).rejects.toBeInstanceOf(CouponNotIssuableError);
      clock.advance(1_000);
      await expect(service.issue(user, 42, id)).resolves.toBeDefined();
      clock.advance(1_000);
      await expect(service.issue(new Actor(43, false), 43, id)).rejects.toBeInstanceOf(
        CouponNotIssuableError,
      );
    });

    it('re-checks the quantity under the lock (sold out between the plain read and the lock)', async () => {
      const { id } = repository.seed({ totalQuantity: 1 });
      const plainRead = repository.findForIssue.bind(repository);
      repository.findForIssue = async (couponId, userId) => {
        const check = await plainRead(couponId, userId);
        repository.coupons.get(id)!.issuedQuantity = 1; // another request took the last one meanwhile
        return check;
      };

      await expect(service.issue(user, 42, id)).rejects.toBeInstanceOf(CouponSoldOutError);
      // (findAllHolders: the sold-out coupon's holders, remembered in the background)
      expect(repository.calls.filter((call) => call !== 'findAllHolders')).toEqual([
        'findForIssue',
        'findByIdForUpdate',
        'findHolders',
      ]);
      expect(repository.issued.size).toBe(0);
    });

    it('re-checks the holders under the lock (a copy committed after the plain read)', async () => {
      const { id } = repository.seed();
      repository.findForIssue = async (couponId) => ({
        coupon: new Coupon({ ...repository.coupons.get(couponId)! }),
        alreadyIssued: false, // a concurrent request committed after this read
      });
      await service.issue(user, 42, id);
      repository.calls.length = 0;

      await expect(service.issue(user, 42, id)).rejects.toBeInstanceOf(CouponAlreadyIssuedError);
      expect(repository.calls).toEqual(['findByIdForUpdate', 'findHolders']);
      expect(repository.coupons.get(id)!.issuedQuantity).toBe(1);
    });

    it('maps the unique-key backstop to ALREADY_ISSUED: a failed batch is retried one request at a time, nothing counted twice', async () => {
      const { id } = repository.seed();
      await service.issue(user, 42, id);
      repository.findForIssue = async (couponId) => ({
        coupon: new Coupon({ ...repository.coupons.get(couponId)! }),
        alreadyIssued: false,
      });
      repository.findHolders = async () => new Set(); // the holder check missed it
      repository.calls.length = 0;

      await expect(service.issue(user, 42, id)).rejects.toBeInstanceOf(CouponAlreadyIssuedError);
      expect(repository.calls).toEqual([
        'findByIdForUpdate',
        'insertIssuedMany', // the batch: refused by the unique key, rolled back
        'findByIdForUpdate',
        'insertIssued', // alone: refused by the unique key too
      ]);
      expect(repository.coupons.get(id)!.issuedQuantity).toBe(1);
      expect(repository.issued.size).toBe(1);
    });

    it('serves concurrent requests in one transaction: the remaining copies in arrival order, the rest sold out', async () => {
      const { id } = repository.seed({ totalQuantity: 3 });
      const users = [51, 52, 53, 54, 55];

      const outcomes = await Promise.allSettled(
        users.map((userId) => service.issue(new Actor(userId, false), userId, id)),
      );

      expect(transactions.runs).toBe(1);
      expect(repository.calls.filter((call) => call === 'insertIssuedMany')).toHaveLength(1);
      expect(outcomes.map((o) => o.status)).toEqual([
        'fulfilled',
        'fulfilled',
        'fulfilled',
        'rejected',
        'rejected',
      ]);
      expect(
        outcomes
          .slice(3)
          .map((o) => (o as PromiseRejectedResult).reason instanceof CouponSoldOutError),
      ).toEqual([true, true]);
      expect([...repository.issued.values()].map((i) => i.userId)).toEqual([51, 52, 53]);
      expect(repository.coupons.get(id)!.issuedQuantity).toBe(3);
    });

    it('gives a user who asks twice in one batch one copy and ALREADY_ISSUED', async () => {
      const { id } = repository.seed({ totalQuantity: 5 });
      const outcomes = await Promise.allSettled([
        service.issue(user, 42, id),
        service.issue(user, 42, id),
      ]);
      expect(outcomes[0].status).toBe('fulfilled');
      expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(
        CouponAlreadyIssuedError,
      );
      expect(repository.coupons.get(id)!.issuedQuantity).toBe(1);
    });

    it('answers from memory once it saw the coupon sold out: a holder ALREADY_ISSUED, anyone else SOLD_OUT', async () => {
      const { id } = repository.seed({ totalQuantity: 1 });
      await service.issue(user, 42, id); // takes the last copy: sold out, holders remembered
      await new Promise((resolve) => setImmediate(resolve));
      repository.calls.length = 0;

      await expect(service.issue(user, 42, id)).rejects.toBeInstanceOf(CouponAlreadyIssuedError);
      await expect(service.issue(new Actor(43, false), 43, id)).rejects.toBeInstanceOf(
        CouponSoldOutError,
      );
      expect(repository.calls).toEqual([]);
    });
  });

  describe('listIssued', () => {
    it("returns the user's coupons newest first, with their status at read time", async () => {
      const a = repository.seed({ name: 'A', validDays: 1 });
      const b = repository.seed({ name: 'B', validDays: 10 });
      const c = repository.seed({ name: 'C', validDays: 10 });
      await service.issue(user, 42, a.id);
      await service.issue(user, 42, b.id);
      const used = await service.issue(user, 42, c.id);
      await service.issue(new Actor(7, false), 7, a.id);
      await useIssuedCoupon(used.issuedCoupon.id, 42, 20_000);
      clock.advance(DAY_MS);

      const all = await service.listIssued(user, 42);
      expect(all.map((v) => [v.terms.name, v.status])).toEqual([
        ['C', 'USED'],
        ['B', 'AVAILABLE'],
        ['A', 'EXPIRED'],
      ]);
      expect((await service.listIssued(user, 42, 'EXPIRED')).map((v) => v.terms.name)).toEqual([
        'A',
      ]);
      expect((await service.listIssued(user, 42, 'AVAILABLE')).map((v) => v.terms.name)).toEqual([
        'B',
      ]);
      expect((await service.listIssued(user, 42, 'USED')).map((v) => v.terms.name)).toEqual(['C']);
    });

    it("refuses another user's list, but not to an admin", async () => {
      await expect(service.listIssued(user, 43)).rejects.toBeInstanceOf(ForbiddenError);
      await expect(service.listIssued(admin, 43)).resolves.toEqual([]);
    });
  });

  describe('useIssuedCoupon', () => {
    async function issuedTo(userId: number, overrides: Partial<CouponProps> = {}): Promise<number> {
      const { id } = repository.seed(overrides);
      const view = await service.issue(new Actor(userId, false), userId, id);
      repository.calls.length = 0;
      return view.issuedCoupon.id;
    }

    it('locks the issued coupon only, reads the terms plainly, marks it USED and returns the discount', async () => {
      const id = await issuedTo(42, {
        discountType: 'RATE',
        discountValue: 10,
        maxDiscountAmount: 3_000,
      });
      clock.advance(60_000);

      await expect(useIssuedCoupon(id, 42, 20_000)).resolves.toEqual({
        discountAmount: 2_000,
      });

      expect(repository.calls).toEqual(['findIssuedByIdForUpdate', 'findTerms', 'saveIssuedState']);
      expect(repository.issued.get(id)).toMatchObject({ status: 'USED', usedAt: clock.now() });
    });

    it('never discounts more than the order amount', async () => {
      const id = await issuedTo(42, { discountValue: 50_000, minOrderAmount: 0 });
      await expect(useIssuedCoupon(id, 42, 12_000)).resolves.toEqual({
        discountAmount: 12_000,
      });
    });

    it('ISSUED_COUPON_NOT_FOUND for an unknown id', async () => {
      await expect(useIssuedCoupon(999, 42, 20_000)).rejects.toBeInstanceOf(
        IssuedCouponNotFoundError,
      );
    });

    it.each<[string, (id: number) => Promise<unknown>]>([
      ["another user's", (id) => useIssuedCoupon(id, 43, 20_000)],
      ['below the minimum order amount', (id) => useIssuedCoupon(id, 42, 9_999)],
      [
        'expired',
        (id) => {
          clock.advance(30 * DAY_MS);
          return useIssuedCoupon(id, 42, 20_000);
        },
      ],
    ])('COUPON_NOT_USABLE when %s, and nothing is written', async (_, attempt) => {
      const id = await issuedTo(42);
      const before = { ...repository.issued.get(id)! };

      await expect(attempt(id)).rejects.toBeInstanceOf(CouponNotUsableError);

      expect(repository.calls).not.toContain('saveIssuedState');
      expect(repository.issued.get(id)).toEqual(before);
    });

    it('COUPON_NOT_USABLE when already used; the first use stays as it was', async () => {
      const id = await issuedTo(42);
      await useIssuedCoupon(id, 42, 20_000);
      const firstUse = { ...repository.issued.get(id)! };
      repository.calls.length = 0;
      clock.advance(1_000);

      await expect(useIssuedCoupon(id, 42, 20_000)).rejects.toBeInstanceOf(CouponNotUsableError);

      expect(repository.calls).not.toContain('saveIssuedState');
      expect(repository.issued.get(id)).toEqual(firstUse);
    });

    it("runs only inside the caller's transaction: alone, it locks and writes nothing", async () => {
      const id = await issuedTo(42);
      await expect(service.useIssuedCoupon(id, 42, 20_000)).rejects.toThrow('inside a transaction');
      await expect(service.restoreIssuedCoupon(id)).rejects.toThrow('inside a transaction');
      expect(repository.calls).toEqual([]);
    });
  });

  describe('assertUsable', () => {
    async function issuedTo(userId: number): Promise<number> {
      const { id } = repository.seed();
      const view = await service.issue(new Actor(userId, false), userId, id);
      repository.calls.length = 0;
      return view.issuedCoupon.id;
    }

    it('passes a coupon the user can use, with one plain read and nothing written', async () => {
      const id = await issuedTo(42);
      await expect(service.assertUsable(id, 42, 20_000)).resolves.toBeUndefined();
      expect(repository.calls).toEqual(['findIssuedDetails']);
      expect(transactions.runs).toBe(1); // the issue's
      expect(repository.issued.get(id)!.status).toBe('AVAILABLE');
    });

    it.each<[string, (id: number) => Promise<unknown>, number, number]>([
      ["another user's", async () => undefined, 43, 20_000],
      ['below the minimum order amount', async () => undefined, 42, 9_999],
      ['expired', async () => clock.advance(30 * DAY_MS), 42, 20_000],
      ['already used', (id) => useIssuedCoupon(id, 42, 20_000), 42, 20_000],
    ])('COUPON_NOT_USABLE when %s, with one plain read', async (_, prepare, userId, amount) => {
      const id = await issuedTo(42);
      await prepare(id);
      repository.calls.length = 0;
      await expect(service.assertUsable(id, userId, amount)).rejects.toBeInstanceOf(
        CouponNotUsableError,
      );
      expect(repository.calls).toEqual(['findIssuedDetails']);
    });

    it('ISSUED_COUPON_NOT_FOUND for an unknown id, without a lock', async () => {
      await expect(service.assertUsable(999, 42, 20_000)).rejects.toBeInstanceOf(
        IssuedCouponNotFoundError,
      );
      expect(repository.calls).toEqual(['findIssuedDetails']);
    });
  });

  describe('restoreIssuedCoupon', () => {
    it('makes a used coupon AVAILABLE again, usable once more', async () => {
      const { id: couponId } = repository.seed();
      const { issuedCoupon } = await service.issue(user, 42, couponId);
      await useIssuedCoupon(issuedCoupon.id, 42, 20_000);

      await restoreIssuedCoupon(issuedCoupon.id);

      expect(repository.issued.get(issuedCoupon.id)).toMatchObject({
        status: 'AVAILABLE',
        usedAt: null,
      });
      await expect(useIssuedCoupon(issuedCoupon.id, 42, 20_000)).resolves.toEqual({
        discountAmount: 5_000,
      });
    });

    it('a restored coupon past its expiry reads as EXPIRED', async () => {
      const { id: couponId } = repository.seed({ validDays: 1 });
      const { issuedCoupon } = await service.issue(user, 42, couponId);
      await useIssuedCoupon(issuedCoupon.id, 42, 20_000);
      clock.advance(2 * DAY_MS);

      await restoreIssuedCoupon(issuedCoupon.id);

      expect((await service.listIssued(user, 42)).map((v) => v.status)).toEqual(['EXPIRED']);
    });

    it('writes nothing for a coupon that is not in use', async () => {
      const { id: couponId } = repository.seed();
      const { issuedCoupon } = await service.issue(user, 42, couponId);
      repository.calls.length = 0;

      await restoreIssuedCoupon(issuedCoupon.id);

      expect(repository.calls).toEqual(['findIssuedByIdForUpdate']);
    });

    it('ISSUED_COUPON_NOT_FOUND for an unknown id', async () => {
      await expect(restoreIssuedCoupon(999)).rejects.toBeInstanceOf(IssuedCouponNotFoundError);
    });
  });
});
