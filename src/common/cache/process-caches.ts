import { Injectable } from '@nestjs/common';

/**
 * Every cache this process keeps of committed database state, so that all can be dropped at
 * once when that state is replaced wholesale underneath them (the test suite truncates every
 * table between tests: ids start again, and a cached fact about row 1 would be about another
 * row). Each cache registers how to clear itself.
 */
@Injectable()
export class ProcessCaches {
  private readonly clears: Array<() => void> = [];

  register(clear: () => void): void {
    this.clears.push(clear);
  }

  clearAll(): void {
    for (const clear of this.clears) clear();
  }
}
