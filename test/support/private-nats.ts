import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect as connectTcp } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, NatsConnection, StringCodec } from 'nats';
import { freePort } from '../../src/common/database/launcher';

const NATS_SERVER = process.env.NATS_SERVER_PATH ?? 'nats-server';
const codec = StringCodec();

export interface StoredMessage {
  subject: string;
  msgId: string | undefined;
  body: Record<string, unknown>;
}

/**
 * A nats-server with JetStream of the test's own (a free port, its store in a temp directory),
 * which a test may stop and start again without touching the machine's (Debian's nats-server;
 * .ci/run installs it when missing).
 */
export class PrivateNats {
  private child: ChildProcess | null = null;
  private readonly storeDir = mkdtempSync(join(tmpdir(), 'ecom-nats-'));
  private readonly killOnExit = () => this.child?.kill('SIGKILL');

  private constructor(readonly port: number) {
    process.once('exit', this.killOnExit);
  }

  static async start(): Promise<PrivateNats> {
    const nats = new PrivateNats(await freePort());
    await nats.start();
    return nats;
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  /** Starts the server again (same port, same store: what JetStream stored survives). */
  async start(): Promise<void> {
    const child = spawn(
      NATS_SERVER,
      ['-js', '-a', '127.0.0.1', '-p', String(this.port), '-sd', this.storeDir],
      { stdio: 'ignore' },
    );
    this.child = child;
    let failed: Error | null = null;
    child.once('error', (error) => (failed = error)); // e.g. ENOENT: no nats-server installed
    const deadline = Date.now() + 10_000;
    while (!(await accepts(this.port))) {
      if (failed) throw failed;
      if (child.exitCode !== null) throw new Error(`nats-server exited with ${child.exitCode}`);
      if (Date.now() > deadline) throw new Error('nats-server did not start within 10 s');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** SIGKILL: the server is gone at once (what it acknowledged is on disk). */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  async destroy(): Promise<void> {
    await this.kill();
    process.removeListener('exit', this.killOnExit);
    rmSync(this.storeDir, { recursive: true, force: true });
  }

  /** How many messages `stream` holds (0 when it does not exist). */
  async storedCount(stream: string): Promise<number> {
    const nc: NatsConnection = await connect({ servers: this.url });
    try {
      const jsm = await nc.jetstreamManager();
      return (await jsm.streams.info(stream)).state.messages;
    } catch {
      return 0;
    } finally {
      await nc.close();
    }
  }

  /** Every message stored in `stream`, in stream order (none when the stream does not exist). */
  async messages(stream: string): Promise<StoredMessage[]> {
    const nc: NatsConnection = await connect({ servers: this.url });
    try {
      const jsm = await nc.jetstreamManager();
      let last: number;
      try {
        last = (await jsm.streams.info(stream)).state.last_seq;
      } catch {
        return [];
      }
      const messages: StoredMessage[] = [];
      for (let seq = 1; seq <= last; seq++) {
        const message = await jsm.streams.getMessage(stream, { seq }).catch(() => null);
        if (!message) continue;
        messages.push({
          subject: message.subject,
          msgId: message.header?.get('Nats-Msg-Id'),
          body: JSON.parse(codec.decode(message.data)),
        });
      }
      return messages;
    } finally {
      await nc.close();
    }
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connectTcp(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
