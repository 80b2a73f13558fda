import { ApiProperty } from '@nestjs/swagger';

export class OutboxRequeueResponse {
  @ApiProperty({ example: 3, description: 'FAILED events made pending again, due at once' })
  requeued!: number;
}
