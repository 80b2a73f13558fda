import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Persistence model of `products`; never leaves the infrastructure layer. */
@Entity('products')
export class ProductOrmEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: number;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'bigint' })
  price!: number;

  @Column({ type: 'bigint' })
  stock!: number;

  /** Units held by pending or paid orders (see Product). */
  @Column({ type: 'bigint', default: 0 })
  reserved!: number;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt!: Date;
}
