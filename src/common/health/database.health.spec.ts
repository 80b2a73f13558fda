import { HealthIndicatorService } from '@nestjs/terminus';
import { AppConfig } from '../../config/app-config';
import { TransactionRunner } from '../database/transaction-runner';
import { DatabaseHealthIndicator } from './database.health';

describe('DatabaseHealthIndicator', () => {
  const indicatorFor = (query: () => Promise<unknown>) =>
    new DatabaseHealthIndicator(
      new HealthIndicatorService(),
      { query } as unknown as TransactionRunner,
      { db: { connectTimeoutMs: 30 } } as AppConfig,
    );

  it('is up when SELECT 1 answers', async () => {
    const queries: unknown[] = [];
    const indicator = indicatorFor(async () => queries.push('SELECT 1'));
    expect(await indicator.pingCheck('database')).toEqual({ database: { status: 'up' } });
    expect(queries).toHaveLength(1);
  });

  it('is down when the query fails, or has not answered within the connect timeout', async () => {
    const failing = indicatorFor(() => Promise.reject(new Error('ECONNREFUSED')));
    expect(await failing.pingCheck('database')).toEqual({ database: { status: 'down' } });
    const silent = indicatorFor(() => new Promise(() => undefined));
    expect(await silent.pingCheck('database')).toEqual({ database: { status: 'down' } });
  });
});
