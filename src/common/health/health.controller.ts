import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiSchema, ApiTags } from '@nestjs/swagger';
import { AppConfig } from '../../config/app-config';
import { within } from '../async/within';
import { Public } from '../auth/auth.decorators';
import { TransactionRunner } from '../database/transaction-runner';
import { ApiErrors } from '../errors/api-errors.decorator';
import { ServiceUnavailableError } from '../errors/common.errors';
import { RedisStatus, SharedRedis } from '../redis/shared-redis';

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

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly db: TransactionRunner,
    private readonly config: AppConfig,
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
    // A health check must answer promptly, even when a server that stopped responding leaves
    // the ping waiting on an open connection: give up after the connect timeout.
    try {
      await within(this.db.query('SELECT 1'), this.config.db.connectTimeoutMs, 'no answer');
    } catch {
      throw new ServiceUnavailableError('The database is not answering');
    }
    return {
      status: 'ok',
      database: 'up',
      redis: await redis,
      replicas: await replicas,
      uptimeSeconds: Math.round(process.uptime() * 10) / 10,
    };
  }
}
