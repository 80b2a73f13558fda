import { ApiProperty } from '@nestjs/swagger';

export class OutboxCountsResponse {
  @ApiProperty({ example: 2, description: 'Waiting for (another) delivery attempt' })
  pending!: number;

  @ApiProperty({ example: 120 })
  delivered!: number;

  @ApiProperty({
    example: 0,
    description:
      'Gave up after OUTBOX_MAX_ATTEMPTS attempts (only when that limit is set; by default retries go on until delivered). `POST /admin/outbox/retry` makes them pending again.',
  })
  failed!: number;

  @ApiProperty({
    example: 0,
    description:
      'Age in whole seconds of the oldest event not yet delivered (pending or failed); 0 when there is none.',
  })
  oldestPendingSeconds!: number;
}
