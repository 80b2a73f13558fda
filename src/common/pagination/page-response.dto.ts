import { Type } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';

/** Builds the Swagger class of a paged response of `item`. */
export function PageResponseDto<T>(item: Type<T>, name: string) {
  class PageOf {
    @ApiProperty({ type: [item] })
    items!: T[];

    @ApiProperty({ example: 1 })
    page!: number;

    @ApiProperty({ example: 20 })
    size!: number;

    @ApiProperty({ example: 42 })
    totalItems!: number;

    @ApiProperty({ example: 3 })
    totalPages!: number;
  }
  Object.defineProperty(PageOf, 'name', { value: name });
  return PageOf;
}
