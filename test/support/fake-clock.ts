import { Clock } from '../../src/common/clock/clock';

/** The unit tests' clock: it stands still at `current` until a test moves it. */
export class FakeClock extends Clock {
  constructor(public current = new Date('2026-11-25T12:00:00.000Z')) {
    super();
  }

  now(): Date {
    return this.current;
  }

  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}
