import { Injectable } from '@nestjs/common';
import { placeholders } from '../../../common/database/sql-placeholders';
import { TransactionRunner } from '../../../common/database/transaction-runner';
import { NewProduct, Product } from '../domain/product';
import { ProductRepository, ReadFreshness } from '../domain/product.repository';
import { ProductOrmEntity } from './product.orm-entity';

interface ProductRow {
  id: number;
  name: string;
  price: number;
  stock: number;
  reserved: number;
}

const COLUMNS = 'id, name, price, stock, reserved';

const toDomain = (row: ProductRow): Product =>
  new Product({
    id: Number(row.id),
    name: row.name,
    price: Number(row.price),
    stock: Number(row.stock),
    reserved: Number(row.reserved),
  });

/**
 * A single read and the create go through the ORM; the listings (which a read replica may
 * serve), the locking reads and the stock writes, which run while a hot row lock is held, are
 * single hand-written statements.
 */
@Injectable()
export class TypeOrmProductRepository extends ProductRepository {
  constructor(private readonly db: TransactionRunner) {
    super();
  }

  private get repository() {
    return this.db.manager.getRepository(ProductOrmEntity);
  }

  async findById(id: number): Promise<Product | null> {
    const row = await this.repository.findOneBy({ id });
    return row ? toDomain(row) : null;
  }

  async findManyByIds(ids: number[], freshness: ReadFreshness = 'committed'): Promise<Product[]> {
    if (ids.length === 0) return [];
    const sql = `SELECT ${COLUMNS} FROM products WHERE id IN (${placeholders(ids)})`;
    const rows =
      freshness === 'may-lag'
        ? await this.db.readQuery<ProductRow[]>(sql, ids)
        : await this.db.query<ProductRow[]>(sql, ids);
    return rows.map(toDomain);
  }

  async findSlice(offset: number, limit: number): Promise<Product[]> {
    const rows = await this.db.readQuery<ProductRow[]>(
      `SELECT ${COLUMNS} FROM products ORDER BY id LIMIT ? OFFSET ?`,
      [limit, offset],
    );
    return rows.map(toDomain);
  }

  async findAfter(afterId: number, limit: number): Promise<Product[]> {
    const rows = await this.db.readQuery<ProductRow[]>(
      `SELECT ${COLUMNS} FROM products WHERE id > ? ORDER BY id LIMIT ?`,
      [afterId, limit],
    );
    return rows.map(toDomain);
  }

  async count(): Promise<number> {
    const [{ total }] = await this.db.readQuery<{ total: number }[]>(
      'SELECT COUNT(*) AS total FROM products',
    );
    return Number(total);
  }

  async create(product: NewProduct, now: Date): Promise<Product> {
    const saved = await this.repository.save(
      this.repository.create({ ...product, createdAt: now, updatedAt: now }),
    );
    return toDomain(saved);
  }

  async findManyForUpdate(ids: number[]): Promise<Product[]> {
    if (ids.length === 0) return [];
    const sorted = [...ids].sort((a, b) => a - b);
    const rows = await this.db.query<ProductRow[]>(
      `SELECT ${COLUMNS} FROM products WHERE id IN (${placeholders(sorted)})
        ORDER BY id FOR UPDATE`,
      sorted,
    );
    return rows.map(toDomain);
  }

  async saveStock(products: Product[], now: Date): Promise<void> {
    if (products.length === 0) return;
    const cases = products.map(() => 'WHEN ? THEN ?').join(' ');
    await this.db.query(
      `UPDATE products SET stock = CASE id ${cases} END, reserved = CASE id ${cases} END, updated_at = ?
        WHERE id IN (${placeholders(products)})`,
      [
        ...products.flatMap((p) => [p.id, p.stock]),
        ...products.flatMap((p) => [p.id, p.reserved]),
        now,
        ...products.map((p) => p.id),
      ],
    );
  }
}
