import { CircuitBreaker, CircuitOpenError } from './circuit-breaker';

describe('CircuitBreaker', () => {
  const fail = () => Promise.reject(new Error('no answer'));
  const succeed = () => Promise.resolve('answer');

  let probeAnswers: boolean;
  let probes: number;
  let opened: unknown[];
  let closed: number;
  let breaker: CircuitBreaker;

  beforeEach(() => {
    jest.useFakeTimers();
    probeAnswers = false;
    probes = 0;
    opened = [];
    closed = 0;
    breaker = new CircuitBreaker({
      failureThreshold: 3,
      failingForMs: 500,
      probeIntervalMs: 1_000,
      probe: async () => {
        probes++;
        if (!probeAnswers) throw new Error('probe: no answer');
      },
      onOpen: (cause) => opened.push(cause),
      onClose: () => closed++,
    });
  });
  afterEach(() => {
    breaker.stop();
    jest.useRealTimers();
  });

  async function failTimes(n: number): Promise<void> {
    for (let i = 0; i < n; i++) await expect(breaker.run(fail)).rejects.toThrow('no answer');
  }
  /** Failures that qualify: three in a row, the last 500 ms after the first. */
  async function failLongEnough(): Promise<void> {
    await failTimes(2);
    await jest.advanceTimersByTimeAsync(500);
    await failTimes(1);
  }

  it('closed: passes answers and errors through', async () => {
    expect(await breaker.run(succeed)).toBe('answer');
    await failTimes(2);
    expect(breaker.isOpen).toBe(false);
    expect(opened).toEqual([]);
  });

  it('opens on consecutive failures spanning the failing time, not on one burst of them', async () => {
    // A hiccup: every call in flight fails at the same moment.
    await Promise.allSettled(Array.from({ length: 16 }, () => breaker.run(fail)));
    expect(breaker.isOpen).toBe(false);
    await jest.advanceTimersByTimeAsync(499);
    await failTimes(1);
    expect(breaker.isOpen).toBe(false);

    await jest.advanceTimersByTimeAsync(1);
    await failTimes(1);
    expect(breaker.isOpen).toBe(true);
  });

  it('needs the failure count too: two failures far apart do not open it', async () => {
    await failTimes(1);
    await jest.advanceTimersByTimeAsync(5_000);
    await failTimes(1);
    expect(breaker.isOpen).toBe(false);
    await failTimes(1);
    expect(breaker.isOpen).toBe(true);
  });

  it('a success in between starts over, count and time', async () => {
    await failTimes(2);
    await jest.advanceTimersByTimeAsync(500);
    await breaker.run(succeed);
    await failTimes(3);
    expect(breaker.isOpen).toBe(false);

    await jest.advanceTimersByTimeAsync(500);
    await failTimes(1);
    expect(breaker.isOpen).toBe(true);
  });

  it('open: fails at once without calling the work, and says so once per outage', async () => {
    await failLongEnough();
    const work = jest.fn(succeed);

    await expect(breaker.run(work)).rejects.toBeInstanceOf(CircuitOpenError);
    await expect(breaker.run(work)).rejects.toBeInstanceOf(CircuitOpenError);

    expect(work).not.toHaveBeenCalled();
    expect(opened).toHaveLength(1);
    expect((opened[0] as Error).message).toBe('no answer');
  });

  it('failures of calls already in flight when it opened do not report the outage again', async () => {
    await failTimes(2);
    await jest.advanceTimersByTimeAsync(500);
    await Promise.allSettled([breaker.run(fail), breaker.run(fail), breaker.run(fail)]);
    expect(breaker.isOpen).toBe(true);
    expect(opened).toHaveLength(1);
  });

  it('probes in the background while open and closes on the first probe that answers', async () => {
    await failLongEnough();
    expect(probes).toBe(0);

    await jest.advanceTimersByTimeAsync(1_000);
    expect(probes).toBe(1);
    await jest.advanceTimersByTimeAsync(2_000);
    expect(probes).toBe(3);
    expect(breaker.isOpen).toBe(true);

    probeAnswers = true;
    await jest.advanceTimersByTimeAsync(1_000);
    expect(breaker.isOpen).toBe(false);
    expect(closed).toBe(1);
    expect(await breaker.run(succeed)).toBe('answer');

    // Closed again: no more probing.
    await jest.advanceTimersByTimeAsync(5_000);
    expect(probes).toBe(4);
  });

  it('after closing, it takes a new qualifying run of failures to open again', async () => {
    await failLongEnough();
    probeAnswers = true;
    await jest.advanceTimersByTimeAsync(1_000);

    await failTimes(3);
    expect(breaker.isOpen).toBe(false);
    await jest.advanceTimersByTimeAsync(500);
    await failTimes(1);
    expect(breaker.isOpen).toBe(true);
    expect(opened).toHaveLength(2);
    expect(closed).toBe(1);
  });

  it('a probe that hangs keeps it open and delays no caller', async () => {
    const hanging = new CircuitBreaker({
      failureThreshold: 1,
      failingForMs: 0,
      probeIntervalMs: 100,
      probe: () => new Promise(() => undefined),
    });
    try {
      hanging.trip(new Error('down'));
      await jest.advanceTimersByTimeAsync(1_000);
      await expect(hanging.run(succeed)).rejects.toBeInstanceOf(CircuitOpenError);
      expect(hanging.isOpen).toBe(true);
    } finally {
      hanging.stop();
    }
  });

  it('trip() opens it at once (a dependency unreachable at start-up); a second trip is not a new outage', async () => {
    breaker.trip(new Error('not reachable at start-up'));
    breaker.trip(new Error('still not'));

    expect(breaker.isOpen).toBe(true);
    expect(opened).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(probes).toBe(1);
  });

  it('stop() ends the probing', async () => {
    await failLongEnough();
    breaker.stop();
    await jest.advanceTimersByTimeAsync(10_000);
    expect(probes).toBe(0);
  });
});
