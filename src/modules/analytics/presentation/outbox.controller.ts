import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../../../common/auth/auth.decorators';
import { ApiErrors } from '../../../common/errors/api-errors.decorator';
import { OutboxService } from '../application/outbox.service';
import { OutboxCountsResponse } from './dto/outbox-counts.response';

@ApiTags('analytics')
@Controller('admin/outbox')
export class OutboxController {
  constructor(private readonly outbox: OutboxService) {}

  @Get()
  @AdminOnly()
  @ApiOperation({
    operationId: 'getOutboxCounts',
    summary: 'Data-platform outbox counts by status (admin)',
  })
  @ApiOkResponse({ type: OutboxCountsResponse })
  @ApiErrors(429)
  counts(): Promise<OutboxCountsResponse> {
    return this.outbox.counts();
  }
}
