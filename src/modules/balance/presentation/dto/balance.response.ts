import { ApiProperty } from '@nestjs/swagger';
import { PageResponseDto } from '../../../../common/pagination/page-response.dto';
import { Balance } from '../../domain/balance';
import { BalanceEntry } from '../../domain/balance-entry';

export class BalanceResponse {
  @ApiProperty({ example: 1 })
  userId!: number;

  @ApiProperty({ example: 150000, description: 'KRW' })
  balance!: number;

  static from(balance: Balance): BalanceResponse {
    return { userId: balance.userId, balance: balance.amount };
  }
}

export class BalanceEntryResponse {
  @ApiProperty({ example: 12 })
  id!: number;

  @ApiProperty({ enum: ['CHARGE', 'USE', 'REFUND'] })
  type!: string;

  @ApiProperty({ example: 50000, description: 'KRW moved (always positive)' })
  amount!: number;

  @ApiProperty({ example: 150000, description: 'KRW balance after this change' })
  balanceAfter!: number;

  @ApiProperty({
    example: null,
    nullable: true,
    type: Number,
    description: 'The order of a USE or REFUND',
  })
  orderId!: number | null;

  @ApiProperty({ example: '2026-11-25T12:00:00.000Z', format: 'date-time' })
  createdAt!: string;

  static from(entry: BalanceEntry): BalanceEntryResponse {
    return {
      id: entry.id,
      type: entry.type,
      amount: entry.amount,
      balanceAfter: entry.balanceAfter,
      orderId: entry.orderId,
      createdAt: entry.createdAt.toISOString(),
    };
  }
}

export class BalanceHistoryPageResponse extends PageResponseDto(
  BalanceEntryResponse,
  'BalanceHistoryPageBase',
) {}
