import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/auth.decorators';
import { TransactionRunner } from '../database/transaction-runner';
import { ApiErrors } from '../errors/api-errors.decorator';
import { ServiceUnavailableError } from '../errors/common.errors';

class HealthDto {
  @ApiProperty({ example: 'ok' })
  status!: string;

  @ApiProperty({ example: 'up' })
  database!: string;

  @ApiProperty({ example: 12.5, description: 'Seconds since this process started' })
  uptimeSeconds!: number;
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly db: TransactionRunner) {}

  @Get()
  @Public()
  @ApiOperation({ operationId: 'getHealth', summary: 'Liveness and database reachability' })
  @ApiOkResponse({ type: HealthDto })
  @ApiErrors('SERVICE_UNAVAILABLE')
  async check(): Promise<HealthDto> {
    try {
      await this.db.query('SELECT 1');
    } catch {
      throw new ServiceUnavailableError('The database is not answering');
    }
    return { status: 'ok', database: 'up', uptimeSeconds: Math.round(process.uptime() * 10) / 10 };
  }
}
