import { Injectable, Logger } from '@nestjs/common';
import { ScheduleModule, SchedulerRegistry } from '@nestjs/schedule';
import { Test } from '@nestjs/testing';
import { NonOverlappingInterval } from './non-overlapping-interval';

/** A job whose runs end when the test says so. */
@Injectable()
class GatedJob {
  started = 0;
  failWith: Error | null = null;
  private finish: Array<() => void> = [];

  @NonOverlappingInterval(60_000, 'gated job')
  async tick(): Promise<void> {
    this.started++;
    await new Promise<void>((resolve) => this.finish.push(resolve));
    if (this.failWith) throw this.failWith;
  }

  endRuns(): void {
    this.finish.splice(0).forEach((resolve) => resolve());
  }
}

describe('NonOverlappingInterval', () => {
  let warn: jest.SpyInstance;
  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it('skips a tick while the previous run is going, and runs again once it ended', async () => {
    const job = new GatedJob();
    const first = job.tick();
    await job.tick(); // returns at once: the first run is still going
    expect(job.started).toBe(1);
    job.endRuns();
    await first;
    const second = job.tick();
    expect(job.started).toBe(2);
    job.endRuns();
    await second;
  });

  it('keeps instances apart: one running job does not hold back another', async () => {
    const [a, b] = [new GatedJob(), new GatedJob()];
    const runs = [a.tick(), b.tick()];
    expect([a.started, b.started]).toEqual([1, 1]);
    a.endRuns();
    b.endRuns();
    await Promise.all(runs);
  });

  it('logs a failure as a warning, and the next tick runs', async () => {
    const job = new GatedJob();
    job.failWith = new Error('database away');
    const failed = job.tick();
    job.endRuns();
    await expect(failed).resolves.toBeUndefined();
    expect(warn).toHaveBeenCalledWith('gated job failed: database away');

    job.failWith = null;
    const next = job.tick();
    expect(job.started).toBe(2);
    job.endRuns();
    await next;
  });

  it('is scheduled as an interval by @nestjs/schedule', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [ScheduleModule.forRoot()],
      providers: [GatedJob],
    }).compile();
    await moduleRef.init();
    try {
      expect(moduleRef.get(SchedulerRegistry).getIntervals()).toHaveLength(1);
    } finally {
      await moduleRef.close();
    }
  });
});
