import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';
import { PageQueryDto } from '../../../../common/pagination/page-query.dto';

export class ProductListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    description:
      'Keyset paging: the `nextCursor` of the previous page. Deep pages are as fast as the first. ' +
      'Cannot be combined with `page`.',
    example: 'cDoyMA',
    maxLength: 40,
  })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,40}$/, {
    message: 'cursor must be a nextCursor value from a previous page',
  })
  cursor?: string;
}
