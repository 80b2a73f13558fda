import { Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';

type Job = (this: object) => Promise<void>;

/**
 * `@Interval(ms)` for background work that must never overlap itself: a tick that comes while
 * the previous run of the same instance is still going is skipped, and a failure is logged as a
 * warning ("<job> failed: <message>") for the next tick to try again. Written here because
 * @nestjs/schedule offers this only for cron jobs (`waitForCompletion`), whose finest step is a
 * second; the outbox relay ticks every 500 ms.
 */
export function NonOverlappingInterval(ms: number, job: string): MethodDecorator {
  return (target, _key, descriptor: PropertyDescriptor) => {
    const work = descriptor.value as Job;
    const logger = new Logger(target.constructor.name);
    const running = new WeakSet<object>();
    descriptor.value = async function (this: object): Promise<void> {
      if (running.has(this)) return;
      running.add(this);
      try {
        await work.call(this);
      } catch (error) {
        logger.warn(`${job} failed: ${(error as Error).message}`);
      } finally {
        running.delete(this);
      }
    };
    // On the wrapper, where the scheduler looks for it.
    Interval(ms)(target, _key, descriptor);
  };
}
