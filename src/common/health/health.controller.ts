import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiSchema, ApiTags } from '@nestjs/swagger';
import { AppConfig } from '../../config/app-config';
import { Public } from '../auth/auth.decorators';
import { TransactionRunner } from '../database/transaction-runner';
import { ApiErrors } from '../errors/api-errors.decorator';
import { ServiceUnavailableError } from '../errors/common.errors';

@ApiSchema({ name: 'HealthResponse' })
class HealthDto {
  @ApiProperty({ enum: ['ok'], example: 'ok' })
  status!: string;

  @ApiProperty({ enum: ['up'], example: 'up' })
  database!: string;

  @ApiProperty({
    example: 12.5,
    format: 'double',
    description: 'Seconds since this process started',
  })
  uptimeSeconds!: number;
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly db: TransactionRunner,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @Public()
  @ApiOperation({ operationId: 'getHealth', summary: 'Liveness and database reachability' })
  @ApiOkResponse({ type: HealthDto })
  @ApiErrors('SERVICE_UNAVAILABLE')
  async check(): Promise<HealthDto> {
    // A health check must answer promptly, even when a server that stopped responding leaves
    // the ping waiting on an open connection: give up after the connect timeout.
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error('ping timed out')),
        this.config.db.connectTimeoutMs,
      );
    });
    try {
      await Promise.race([this.db.query('SELECT 1'), timeout]);
    } catch {
      throw new ServiceUnavailableError('The database is not answering');
    } finally {
      clearTimeout(timer);
    }
    return { status: 'ok', database: 'up', uptimeSeconds: Math.round(process.uptime() * 10) / 10 };
  }
}
