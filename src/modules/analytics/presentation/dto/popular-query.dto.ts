import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { QueryInt } from '../../../../common/validation/query-int';

export class PopularQueryDto {
  @ApiPropertyOptional({
    minimum: 1,
    maximum: 30,
    default: 3,
    description: 'UTC calendar days, today included',
  })
  @IsOptional()
  @QueryInt()
  @IsInt()
  @Min(1)
  @Max(30)
  days: number = 3;

  @ApiPropertyOptional({ minimum: 1, maximum: 50, default: 5 })
  @IsOptional()
  @QueryInt()
  @IsInt()
  @Min(1)
  @Max(50)
  limit: number = 5;
}
