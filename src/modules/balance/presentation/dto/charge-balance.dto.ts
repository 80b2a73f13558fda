import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';

export class ChargeBalanceDto {
  @ApiProperty({
    example: 50000,
    minimum: 1,
    description:
      'KRW to add: 1 to CHARGE_MAX (default 10,000,000); the balance may not exceed BALANCE_MAX',
  })
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  amount!: number;
}
