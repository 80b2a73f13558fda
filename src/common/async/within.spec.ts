import { AddressInfo, createServer, Server, Socket } from 'node:net';
import { DeadlineExceededError, within } from './within';

describe('within', () => {
  afterEach(() => jest.useRealTimers());

  it('passes on an answer or an error that comes in time', async () => {
    await expect(within(Promise.resolve(7), 50, 'no answer')).resolves.toBe(7);
    await expect(within(Promise.reject(new Error('refused')), 50, 'no answer')).rejects.toThrow(
      'refused',
    );
  });

  it('fails with the deadline once it passes, whatever the work does later', async () => {
    const never = new Promise<number>(() => undefined);
    const outcome = within(never, 20, 'no answer');
    await expect(outcome).rejects.toThrow(new DeadlineExceededError('no answer within 20 ms'));
  });

  it('leaves no timer behind once the work settled', async () => {
    jest.useFakeTimers();
    await within(Promise.resolve(1), 10_000, 'no answer');
    expect(jest.getTimerCount()).toBe(0);
  });

  describe('with a real socket', () => {
    let server: Server;
    let client: Socket;
    let peer: Socket;
    beforeEach(async () => {
      server = createServer();
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const accepted = new Promise<Socket>((resolve) => server.once('connection', resolve));
      client = new Socket();
      client.connect((server.address() as AddressInfo).port, '127.0.0.1');
      peer = await accepted;
    });
    afterEach(async () => {
      client.destroy();
      peer.destroy();
      await new Promise((resolve) => server.close(resolve));
    });

    it('an answer that arrived while this process was busy past the deadline still counts', async () => {
      const answer = new Promise<string>((resolve) =>
        client.once('data', (d) => resolve(String(d))),
      );
      const outcome = within(answer, 20, 'no answer');
      peer.write('pong');
      const busyUntil = Date.now() + 100; // the answer lands in the socket meanwhile
      while (Date.now() < busyUntil);

      await expect(outcome).resolves.toBe('pong');
    });
  });
});
