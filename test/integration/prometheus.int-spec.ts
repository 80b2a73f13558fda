import { ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import request from 'supertest';
import { freePort } from '../../src/common/database/launcher';
import { eventually } from '../support/fake-data-platform';
import { insertProduct } from '../support/fixtures';
import { PROMETHEUS, PROMTOOL } from '../support/system-programs';
import { startTestApp, TestApp } from '../support/test-app';

const ALERTS = resolve(__dirname, '..', '..', 'ops', 'prometheus', 'alerts.yml');

/** Runs `promtool` with `args` (and `input` on stdin); resolves with its exit code and output. */
function promtool(args: string[], input?: string): Promise<{ code: number; output: string }> {
  return new Promise((resolvePromise) => {
    const child = execFile(PROMTOOL, args, (error, stdout, stderr) =>
      resolvePromise({ code: error ? Number(error.code ?? 1) : 0, output: stdout + stderr }),
    );
    if (input !== undefined) child.stdin!.end(input);
  });
}

describe('Prometheus metrics (a real Prometheus scraping the metrics listener)', () => {
  let t: TestApp;
  let metricsPort: number;
  let prometheus: ChildProcess | undefined;
  let prometheusUrl: string;
  let dir: string;

  beforeAll(async () => {
    metricsPort = await freePort();
    t = await startTestApp({ METRICS_PORT: String(metricsPort) });
    await t.reset();
    dir = mkdtempSync(join(tmpdir(), 'ecom-prometheus-'));
  });

  afterAll(async () => {
    prometheus?.kill('SIGKILL');
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is served on its own listener, never through the public port, in a form promtool accepts', async () => {
    await request(t.baseUrl).get('/metrics').expect(404);
    const scrape = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(scrape.status).toBe(200);
    expect(scrape.headers.get('content-type')).toContain('text/plain');
    const body = await scrape.text();
    expect(body).toContain('process_cpu_seconds_total');
    expect(body).toContain('db_pool_connections{pool="primary",state="idle"}');
    expect(body).toMatch(/^db_up 1$/m);
    const checked = await promtool(['check', 'metrics'], body);
    expect(checked).toEqual({ code: 0, output: '' });
  });

  it('the alert rules pass promtool check rules', async () => {
    const checked = await promtool(['check', 'rules', ALERTS]);
    expect(checked.code).toBe(0);
    expect(checked.output).toContain('SUCCESS');
  });

  it('Prometheus scrapes it (up == 1) and counts the requests the test sent, by route template', async () => {
    const productId = await insertProduct(t.dataSource, 1_000, 5);
    for (let i = 0; i < 7; i++) {
      await request(t.baseUrl).get(`/api/v1/products/${productId}`).expect(200);
    }
    for (let i = 0; i < 3; i++)
      await request(t.baseUrl).get('/api/v1/products/999999999').expect(404);

    const port = await freePort();
    prometheusUrl = `http://127.0.0.1:${port}`;
    const config = join(dir, 'prometheus.yml');
    writeFileSync(
      config,
      [
        'global:',
        '  scrape_interval: 1s',
        '  evaluation_interval: 1s',
        'rule_files:',
        `  - ${ALERTS}`,
        'scrape_configs:',
        '  - job_name: ecommerce-api',
        '    static_configs:',
        `      - targets: ["127.0.0.1:${metricsPort}"]`,
        '',
      ].join('\n'),
    );
    prometheus = spawn(
      PROMETHEUS,
      [
        `--config.file=${config}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: 'ignore' },
    );

    const query = async (expr: string) => {
      const response = await fetch(
        `${prometheusUrl}/api/v1/query?query=${encodeURIComponent(expr)}`,
      );
      if (!response.ok) return [];
      const body = (await response.json()) as {
        data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
      };
      return body.data.result;
    };
    await eventually(async () => {
      const up = await query('up{job="ecommerce-api"}').catch(() => []);
      return up.length === 1 && up[0].value[1] === '1';
    }, 30_000);

    const requests = await query(
      'http_requests_total{job="ecommerce-api", method="GET", route="/api/v1/products/:id"}',
    );
    const byStatus = Object.fromEntries(
      requests.map((series) => [series.metric.status_class, Number(series.value[1])]),
    );
    expect(byStatus).toEqual({ '2xx': 7, '4xx': 3 });
    const rules = await fetch(`${prometheusUrl}/api/v1/rules`).then(
      (response) => response.json() as Promise<{ data: { groups: Array<{ rules: unknown[] }> } }>,
    );
    expect(rules.data.groups[0].rules).toHaveLength(7);
  }, 60_000);
});
