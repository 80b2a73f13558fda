import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiSchema, ApiTags } from '@nestjs/swagger';
import { HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import { Public } from '../auth/auth.decorators';
import { TransactionRunner } from '../database/transaction-runner';
import { ApiErrors } from '../errors/api-errors.decorator';
import { ServiceUnavailableError } from '../errors/common.errors';
import { RedisStatus, SharedRedis } from '../redis/shared-redis';
import { DatabaseHealthIndicator } from './database.health';

@ApiSchema({ name: 'ReplicaHealth' })
class ReplicaHealthDto {
  @ApiProperty({ example: 'replica-1.internal:3306' })
  address!: string;

  @ApiProperty({
    enum: ['up', 'down'],
    example: 'up',
    description:
      '`down`: it did not answer `SELECT 1` in time; catalogue reads go to the primary meanwhile.',
  })
  status!: 'up' | 'down';
}

@ApiSchema({ name: 'HealthResponse' })
class HealthDto {
  @ApiProperty({ enum: ['ok'], example: 'ok' })
  status!: string;

  @ApiProperty({ enum: ['up'], example: 'up' })
  database!: string;

  @ApiProperty({
    enum: ['up', 'degraded', 'disabled'],
    example: 'up',
    description:
      'The optional shared store (REDIS_URL). `degraded`: Redis is down or not answering, and ' +
      'rate limits and the popular cache are per process until it is back; it does not make the ' +
      'service unhealthy. `disabled`: no REDIS_URL.',
  })
  redis!: RedisStatus;

  @ApiProperty({
    type: [ReplicaHealthDto],
    description:
      'The read replicas of DB_REPLICA_HOSTS (empty without). A replica that is down does not ' +
      'make the service unhealthy: its reads are served by the primary.',
  })
  replicas!: ReplicaHealthDto[];

  @ApiProperty({
    example: 12.5,
    format: 'double',
    description: 'Seconds since this process started',
  })
  uptimeSeconds!: number;
}

/** A replica that has not answered `SELECT 1` within this long is reported down. */
const REPLICA_PING_TIMEOUT_MS = 1_000;

/**
 * Readiness through `@nestjs/terminus`: its `HealthCheckService` runs the indicators that decide
 * (the primary database's `SELECT 1` within the connect timeout, `DatabaseHealthIndicator`) and
 * refuses with 503 when one is down or the process is shutting down. Redis and the replicas
 * are reported beside them and never decide: the API serves fully without either.
 */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: DatabaseHealthIndicator,
    private readonly db: TransactionRunner,
    private readonly redis: SharedRedis,
  ) {}

  @Get()
  @Public()
  @ApiOperation({
    operationId: 'getHealth',
    summary: 'Liveness and database reachability (Redis state reported, not decisive)',
  })
  @ApiOkResponse({ type: HealthDto })
  @ApiErrors(ServiceUnavailableError)
  async check(): Promise<HealthDto> {
    // Bounded by the Redis command timeout, and instant while the circuit is open.
    const redis = this.redis.status();
    const replicas = this.db.replicaStates(REPLICA_PING_TIMEOUT_MS);
    await this.health.check([() => this.database.pingCheck('database')]).catch((error: unknown) => {
      throw shuttingDown(error)
        ? new ServiceUnavailableError('The service is shutting down')
        : new ServiceUnavailableError('The database is not answering');
    });
    return {
      status: 'ok',
      database: 'up',
      redis: await redis,
      replicas: await replicas,
      uptimeSeconds: Math.round(process.uptime() * 10) / 10,
    };
  }
}

/** What HealthCheckService throws while the application shuts down (before the pool closes). */
function shuttingDown(error: unknown): boolean {
  return (
    error instanceof ServiceUnavailableException &&
    (error.getResponse() as Partial<HealthCheckResult>).status === 'shutting_down'
  );
}
