import type { DestinationStream } from 'pino';
import { startTestApp, TestApp } from './test-app';

type Env = Record<string, string>;

export interface UseTestAppOptions {
  /**
   * Keys on top of the test defaults (test-config.ts). A function when they depend on something
   * an earlier `beforeAll` started (a fake platform's URL, a private server's port).
   */
  env?: Env | (() => Env | Promise<Env>);
  /** Truncate every table before each test (default), once before the first, or never. */
  reset?: 'each' | 'once' | 'never';
  /** false: stop the scheduled jobs (relay, projector, sweeps), so the test drives them itself. */
  backgroundJobs?: boolean;
  logTo?: DestinationStream;
}

/**
 * One running app for a `describe` block: started in `beforeAll`, closed in `afterAll`, its
 * database reset as asked. The whole setup in one call, as immich's `newTestService()` builds
 * a service and its fakes in one place:
 *
 * ```ts
 * const t = useTestApp({ env: { RATE_LIMIT_PER_MINUTE: '3' } });
 * it('...', () => request(t.baseUrl).get('/health').set(t.auth(5)));
 * ```
 *
 * The value stands for the app started later: read it inside tests and hooks, never while the
 * describe block is being defined.
 */
export function useTestApp(options: UseTestAppOptions = {}): TestApp {
  return useTestApps(1, options)[0];
}

/**
 * Two instances of the app (two pools, one database), as behind a load balancer: for the
 * concurrency tests. `either(i)` alternates between them; the database is reset through `a`.
 */
export function useTwoTestApps(options: UseTestAppOptions = {}): {
  a: TestApp;
  b: TestApp;
  either(i: number): TestApp;
} {
  const [a, b] = useTestApps(2, options);
  return { a, b, either: (i) => (i % 2 === 0 ? a : b) };
}

function useTestApps(count: number, options: UseTestAppOptions): TestApp[] {
  const { env = {}, reset = 'each', backgroundJobs = true, logTo } = options;
  const started: TestApp[] = [];
  beforeAll(async () => {
    const appEnv = typeof env === 'function' ? await env() : env;
    for (let i = 0; i < count; i++) {
      const app = await startTestApp(appEnv, { logTo });
      started.push(app);
      if (!backgroundJobs) app.stopBackgroundJobs();
    }
    if (reset === 'once') await started[0].reset();
  });
  afterAll(async () => {
    for (const app of started.splice(0).reverse()) await app.close();
  });
  if (reset === 'each') beforeEach(() => started[0].reset());
  return Array.from({ length: count }, (_, index) => lateBound(() => started[index]));
}

/** A TestApp whose every property is read from the instance `current()` returns at that time. */
function lateBound(current: () => TestApp | undefined): TestApp {
  return new Proxy({} as TestApp, {
    get(_, property) {
      const app = current();
      if (!app) {
        throw new Error(
          `useTestApp: the app starts in beforeAll; read .${String(property)} inside a test or hook`,
        );
      }
      return app[property as keyof TestApp];
    },
  });
}
