import { Module } from '@nestjs/common';
import { BalanceService } from './application/balance.service';
import { BalanceRepository } from './domain/balance.repository';
import { SqlBalanceRepository } from './infrastructure/sql-balance.repository';
import { BalanceController } from './presentation/balance.controller';

@Module({
  controllers: [BalanceController],
  providers: [BalanceService, { provide: BalanceRepository, useClass: SqlBalanceRepository }],
  exports: [BalanceService],
})
export class BalanceModule {}
