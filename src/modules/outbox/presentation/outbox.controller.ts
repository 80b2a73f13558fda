import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../../../common/auth/auth.decorators';
import { ApiErrors } from '../../../common/errors/api-errors.decorator';
import { OutboxService } from '../application/outbox.service';
import { OutboxCountsResponse } from './dto/outbox-counts.response';
import { OutboxRequeueResponse } from './dto/outbox-requeue.response';

@ApiTags('outbox')
@Controller('admin/outbox')
export class OutboxController {
  constructor(private readonly outbox: OutboxService) {}

  @Get()
  @AdminOnly()
  @ApiOperation({
    operationId: 'getOutboxCounts',
    summary: 'Data-platform outbox counts by status and delivery lag (admin)',
  })
  @ApiOkResponse({ type: OutboxCountsResponse })
  @ApiErrors(429)
  counts(): Promise<OutboxCountsResponse> {
    return this.outbox.status();
  }

  @Post('retry')
  @HttpCode(200)
  @AdminOnly()
  @ApiOperation({
    operationId: 'retryFailedOutboxEvents',
    summary: 'Make every FAILED data-platform event pending again (admin)',
    description:
      'Events become FAILED only when OUTBOX_MAX_ATTEMPTS is set. Each requeued event gets a fresh count of attempts and is due at once; the events of one order still go out in the order they were written.',
  })
  @ApiOkResponse({ type: OutboxRequeueResponse })
  @ApiErrors(429)
  async retry(): Promise<OutboxRequeueResponse> {
    return { requeued: await this.outbox.requeueFailed() };
  }
}
