import { Logger } from '@nestjs/common';
import { testConfig } from '../../../../test/support/test-config';
import { OutboxLagWatch } from './outbox-lag-watch';
import { OutboxService } from './outbox.service';

describe('OutboxLagWatch', () => {
  let age: number;
  const outbox = { oldestPendingSeconds: async () => age } as unknown as OutboxService;
  let warn: jest.SpyInstance;
  let log: jest.SpyInstance;

  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it('warns on every check while the oldest event is older than the threshold, and once when it caught up', async () => {
    const watch = new OutboxLagWatch(
      outbox,
      testConfig({ env: { OUTBOX_LAG_WARN_SECONDS: '60' } }),
    );
    age = 30;
    await watch.check();
    expect(warn).not.toHaveBeenCalled();

    age = 61;
    await watch.check();
    age = 90;
    await watch.check();
    expect(warn.mock.calls.map(([message]) => message)).toEqual([
      expect.stringContaining('61 s old'),
      expect.stringContaining('90 s old'),
    ]);

    age = 0;
    await watch.check();
    await watch.check();
    expect(log).toHaveBeenCalledTimes(1);
    expect(log.mock.calls[0][0]).toContain('caught up');
  });

  it('says nothing with OUTBOX_LAG_WARN_SECONDS=0', async () => {
    const watch = new OutboxLagWatch(outbox, testConfig({ env: { OUTBOX_LAG_WARN_SECONDS: '0' } }));
    age = 10_000;
    await watch.check();
    expect(warn).not.toHaveBeenCalled();
  });
});
