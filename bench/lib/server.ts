/**
 * The server under test as a child process (`node dist/main.js`), with its resident memory
 * sampled from /proc every 250 ms, its CPU time read around each load run, and its warnings
 * (pino JSON lines at level >= 40) collected so a report can show what the app complained about.
 *
 * Its stdout and stderr go straight to its log file, as with a log collector reading a file: a
 * pipe into this process would make the server's logging wait on the harness (at LOG_LEVEL=info
 * tens of thousands of lines a second, read on the cores the load generator needs), and pino's
 * buffer grow meanwhile. The file is read back between runs.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../src/common/database/launcher';
import { sleep } from './stats';

const RSS_SAMPLE_MS = 250;
const HEALTH_TIMEOUT_MS = 90_000;
const STOP_GRACE_MS = 15_000;

let clockTicksPerSecond = 100;
try {
  clockTicksPerSecond = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
} catch {
  // Linux's usual value
}

export interface ServerWarning {
  at: number;
  level: number;
  message: string;
}

/** What one window (a load run) saw of the server. */
export interface ServerWindow {
  /** Server CPU (user + system) during the window, in ms; null when /proc is unreadable. */
  cpuMs(): number | null;
  /** Highest VmRSS sampled during the window, in MB. */
  rssMaxMB(): number | null;
  warnings(): ServerWarning[];
}

/** The process and its children: a cluster primary's workers (WEB_CONCURRENCY). */
function processTree(pid: number): number[] {
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    return [pid, ...(children ? children.split(/\s+/).map(Number) : [])];
  } catch {
    return [pid];
  }
}

/** VmRSS of the largest process of the tree (the target is per process). */
function readRssKB(pid: number): number | null {
  const sizes = processTree(pid).flatMap((each) => {
    try {
      const match = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${each}/status`, 'utf8'));
      return match ? [Number(match[1])] : [];
    } catch {
      return [];
    }
  });
  return sizes.length > 0 ? Math.max(...sizes) : null;
}

/** CPU time of the whole tree: a cluster's primary and workers together. */
function readCpuMs(pid: number): number | null {
  let total: number | null = null;
  for (const each of processTree(pid)) {
    try {
      const stat = readFileSync(`/proc/${each}/stat`, 'utf8');
      // Fields after the command name (which may contain spaces) start at field 3 (state);
      // utime and stime are fields 14 and 15.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total =
        (total ?? 0) + ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicksPerSecond;
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

export interface ServerOptions {
  name: string;
  cwd: string;
  logDir: string;
  env: Record<string, string>;
  /** Extra node flags, e.g. --cpu-prof. */
  nodeArgs?: string[];
}

export class ServerProcess {
  readonly baseUrl: string;
  /** Highest VmRSS seen over the whole life of the process, in kB. */
  rssMaxKB = 0;
  private readonly warningsSeen: ServerWarning[] = [];
  private windowRssKB = 0;
  private exited = false;
  private exitCode: number | null = null;
  private readonly sampler: NodeJS.Timeout;
  /** How far the log file has been read, and the unfinished line there. */
  private scannedBytes = 0;
  private partialLine = '';

  private constructor(
    readonly name: string,
    readonly port: number,
    private readonly child: ChildProcess,
    readonly logFile: string,
  ) {
    this.baseUrl = `http://127.0.0.1:${port}`;
    this.scannedBytes = fileSize(logFile);
    child.on('exit', (code) => {
      this.exited = true;
      this.exitCode = code;
    });
    this.sampler = setInterval(() => this.sample(), RSS_SAMPLE_MS);
    this.sampler.unref();
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get rssMaxMB(): number {
    return Math.round(this.rssMaxKB / 102.4) / 10;
  }

  get isRunning(): boolean {
    return !this.exited;
  }

  /**
   * Spawns `node dist/main.js` with `env` on a free port, with the node flags of `npm start`
   * (so the benchmark measures the process users run), and waits until /health answers 200.
   */
  static async start(options: ServerOptions): Promise<ServerProcess> {
    const port = await freePort();
    const nodeArgs = [...startScriptNodeFlags(options.cwd), ...(options.nodeArgs ?? [])];
    const logFile = join(options.logDir, `server-${options.name}.log`);
    const output = openSync(logFile, 'a');
    const child = spawn(process.execPath, [...nodeArgs, 'dist/main.js'], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env, PORT: String(port) },
      stdio: ['ignore', output, output],
    });
    closeSync(output);
    const server = new ServerProcess(options.name, port, child, logFile);
    try {
      await server.waitHealthy();
    } catch (error) {
      await server.stop();
      throw error;
    }
    return server;
  }

  private async waitHealthy(): Promise<void> {
    const deadline = Date.now() + HEALTH_TIMEOUT_MS;
    let last = 'no answer yet';
    while (Date.now() < deadline) {
      if (this.exited) {
        throw new Error(
          `server ${this.name} exited with code ${this.exitCode} during start-up:\n${this.tail()}`,
        );
      }
      try {
        const response = await fetch(`${this.baseUrl}/health`, {
          signal: AbortSignal.timeout(2_000),
        });
        if (response.status === 200) return;
        last = `status ${response.status}`;
      } catch (error) {
        last = (error as Error).message;
      }
      await sleep(200);
    }
    throw new Error(
      `server ${this.name} not healthy after ${HEALTH_TIMEOUT_MS / 1000} s (${last}):\n${this.tail()}`,
    );
  }

  /** The last lines the process printed (for failure messages). */
  tail(lines = 30): string {
    const text = readFileSync(this.logFile, 'utf8').slice(-64 * 1024);
    return text.split('\n').filter(Boolean).slice(-lines).join('\n');
  }

  /** Starts measuring a window; read it after the load run. */
  beginWindow(): ServerWindow {
    const startCpu = readCpuMs(this.pid);
    this.scanLog();
    const startWarnings = this.warningsSeen.length;
    this.sample();
    this.windowRssKB = readRssKB(this.pid) ?? 0;
    return {
      cpuMs: () => {
        const now = readCpuMs(this.pid);
        return startCpu === null || now === null ? null : now - startCpu;
      },
      rssMaxMB: () => {
        this.sample();
        return this.windowRssKB > 0 ? Math.round(this.windowRssKB / 102.4) / 10 : null;
      },
      warnings: () => {
        this.scanLog();
        return this.warningsSeen.slice(startWarnings);
      },
    };
  }

  /** SIGTERM, then SIGKILL if it has not exited within the grace period. */
  async stop(): Promise<void> {
    clearInterval(this.sampler);
    if (!this.exited && this.child.pid !== undefined) {
      this.sample();
      this.child.kill('SIGTERM');
      const deadline = Date.now() + STOP_GRACE_MS;
      while (!this.exited && Date.now() < deadline) await sleep(100);
      if (!this.exited) {
        this.child.kill('SIGKILL');
        while (!this.exited) await sleep(50);
      }
    }
    this.scanLog();
  }

  /** Last-resort synchronous kill (process exit handler). */
  killNow(): void {
    if (!this.exited && this.child.pid !== undefined) {
      try {
        process.kill(this.child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }

  private sample(): void {
    if (this.exited || this.child.pid === undefined) return;
    const kb = readRssKB(this.child.pid);
    if (kb === null) return;
    if (kb > this.rssMaxKB) this.rssMaxKB = kb;
    if (kb > this.windowRssKB) this.windowRssKB = kb;
  }

  /** Reads what the server wrote since the last time and keeps its warnings. */
  private scanLog(): void {
    const fd = openSync(this.logFile, 'r');
    try {
      const size = fstatSync(fd).size;
      const chunk = Buffer.alloc(1 << 20);
      while (this.scannedBytes < size) {
        const read = readSync(fd, chunk, 0, chunk.length, this.scannedBytes);
        if (read === 0) break;
        this.scannedBytes += read;
        const lines = (this.partialLine + chunk.toString('utf8', 0, read)).split('\n');
        this.partialLine = lines.pop() ?? '';
        for (const line of lines) this.onLine(line);
      }
    } finally {
      closeSync(fd);
    }
  }

  private onLine(line: string): void {
    // Only warnings and errors are kept: an info line (one per request at LOG_LEVEL=info) is not
    // parsed, so the bench's own CPU does not grow with the server's logging.
    if (!/^\{"level":[4-6]0,/.test(line)) return;
    try {
      const entry = JSON.parse(line) as {
        level?: unknown;
        msg?: unknown;
        err?: { message?: unknown };
      };
      if (typeof entry.level === 'number' && entry.level >= 40) {
        const message =
          typeof entry.msg === 'string'
            ? entry.msg
            : String(entry.err?.message ?? line.slice(0, 200));
        this.warningsSeen.push({ at: Date.now(), level: entry.level, message });
      }
    } catch {
      // not a log line
    }
  }
}

function fileSize(file: string): number {
  try {
    const fd = openSync(file, 'r');
    try {
      return fstatSync(fd).size;
    } finally {
      closeSync(fd);
    }
  } catch {
    return 0;
  }
}

/** "3x deadlock, retrying ...; 1x slow query ..." from a window's warnings, most frequent first. */
export function summarizeWarnings(warnings: ServerWarning[], limit = 3): string {
  const byMessage = new Map<string, number>();
  for (const warning of warnings) {
    const key = warning.message.replace(/\s+/g, ' ').slice(0, 120);
    byMessage.set(key, (byMessage.get(key) ?? 0) + 1);
  }
  return [...byMessage.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([message, count]) => `${count}x "${message}"`)
    .join('; ');
}

/** The `--flags` between `node` and `dist/main.js` in package.json's `start` script. */
function startScriptNodeFlags(cwd: string): string[] {
  const { scripts } = JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  return scripts.start.split(/\s+/).filter((token) => token.startsWith('--'));
}
