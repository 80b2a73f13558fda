import { ApiProperty } from '@nestjs/swagger';

export class OutboxCountsResponse {
  @ApiProperty({ example: 2, description: 'Waiting for (another) delivery attempt' })
  pending!: number;

  @ApiProperty({ example: 120 })
  delivered!: number;

  @ApiProperty({ example: 0, description: 'Gave up after the maximum number of attempts' })
  failed!: number;
}
