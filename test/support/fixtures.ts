import { DataSource } from 'typeorm';

/** Direct inserts for test setup: fast, and independent of the routes under test. */
export async function insertProduct(
  db: DataSource,
  price: number,
  stock: number,
  name = 'Test product',
): Promise<number> {
  const now = new Date();
  const result = await db.query(
    'INSERT INTO products (name, price, stock, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
    [name, price, stock, now, now],
  );
  return Number(result.insertId);
}

export async function setBalance(db: DataSource, userId: number, amount: number): Promise<void> {
  await db.query(
    'INSERT INTO balances (user_id, amount) VALUES (?, ?) ON DUPLICATE KEY UPDATE amount = VALUES(amount)',
    [userId, amount],
  );
}

export async function stockOf(db: DataSource, productId: number): Promise<number> {
  const [row] = await db.query('SELECT stock FROM products WHERE id = ?', [productId]);
  return Number(row.stock);
}

export async function balanceOf(db: DataSource, userId: number): Promise<number> {
  const [row] = await db.query('SELECT amount FROM balances WHERE user_id = ?', [userId]);
  return row ? Number(row.amount) : 0;
}

export async function countRows(
  db: DataSource,
  table: string,
  where = '1 = 1',
  params: unknown[] = [],
): Promise<number> {
  const [row] = await db.query(`SELECT COUNT(*) AS total FROM ${table} WHERE ${where}`, params);
  return Number(row.total);
}

/** A coupon definition plus one issued coupon for `userId`; returns the issued coupon's id. */
export async function issueCouponDirectly(
  db: DataSource,
  userId: number,
  coupon: { discountType?: 'FIXED' | 'RATE'; discountValue?: number; minOrderAmount?: number } = {},
  expiresAt = new Date(Date.now() + 7 * 24 * 3600 * 1000),
): Promise<number> {
  const now = new Date();
  const created = await db.query(
    `INSERT INTO coupons (name, discount_type, discount_value, max_discount_amount, min_order_amount,
       total_quantity, issued_quantity, valid_days, created_at)
     VALUES ('Test coupon', ?, ?, NULL, ?, 1000, 1, 7, ?)`,
    [
      coupon.discountType ?? 'FIXED',
      coupon.discountValue ?? 1_000,
      coupon.minOrderAmount ?? 0,
      now,
    ],
  );
  const issued = await db.query(
    `INSERT INTO issued_coupons (coupon_id, user_id, status, issued_at, expires_at) VALUES (?, ?, 'AVAILABLE', ?, ?)`,
    [created.insertId, userId, now, expiresAt],
  );
  return Number(issued.insertId);
}
