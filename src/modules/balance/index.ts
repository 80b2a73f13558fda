/** The balance module's front door: all that other modules may use of it. */
export { BalanceModule } from './balance.module';
export { BalanceService } from './application/balance.service';
export { InsufficientBalanceError } from './domain/errors/insufficient-balance.error';
