import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsString, Length, Matches, Max, Min } from 'class-validator';
import {
  PRODUCT_NAME_MAX_LENGTH,
  PRODUCT_PRICE_MAX,
  PRODUCT_STOCK_MAX,
} from '../../domain/product';

export const NO_CONTROL_CHARACTERS = /^[^\p{Cc}\p{Cs}]*$/u;

export class CreateProductDto {
  @ApiProperty({ example: 'Wireless Earbuds', minLength: 1, maxLength: PRODUCT_NAME_MAX_LENGTH })
  @IsString()
  @Length(1, PRODUCT_NAME_MAX_LENGTH)
  @Matches(NO_CONTROL_CHARACTERS, { message: 'name must not contain control characters' })
  name!: string;

  @ApiProperty({ example: 89000, minimum: 0, maximum: PRODUCT_PRICE_MAX, description: 'KRW' })
  @IsInt()
  @Min(0)
  @Max(PRODUCT_PRICE_MAX)
  price!: number;

  @ApiProperty({ example: 100, minimum: 0, maximum: PRODUCT_STOCK_MAX })
  @IsInt()
  @Min(0)
  @Max(PRODUCT_STOCK_MAX)
  stock!: number;
}
