import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { insertProduct } from '../support/fixtures';
import { launchChromium } from '../support/chromium';
import { useTestApp } from '../support/use-test-app';

/** A web frontend's dev server, reduced to one empty page on its own origin (another port). */
async function startPageServer(): Promise<{ origin: string; close(): Promise<void> }> {
  const server: Server = createServer((_request, response) => {
    response
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      .end('<!doctype html><title>shop frontend</title>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

interface PageFetch {
  ok: boolean;
  status?: number;
  body?: unknown;
  /** The headers the page's script can read (null when the browser hides one). */
  readable?: Record<string, string | null>;
  error?: string;
}

/** Runs `fetch` inside the page, as the frontend's own script would. */
function fetchFromPage(page: Page, url: string, init: RequestInit = {}): Promise<PageFetch> {
  return page.evaluate(
    async ({ url, init }) => {
      try {
        const res = await fetch(url, init);
        const names = ['x-request-id', 'etag', 'idempotent-replayed', 'x-content-type-options'];
        return {
          ok: true,
          status: res.status,
          body: await res.json(),
          readable: Object.fromEntries(names.map((name) => [name, res.headers.get(name)])),
        };
      } catch (error) {
        return { ok: false, error: String(error) };
      }
    },
    { url, init },
  );
}

describe('CORS in a browser (headless Chromium): a frontend on another origin', () => {
  let browser: Browser;
  let frontend: Awaited<ReturnType<typeof startPageServer>>;
  let stranger: Awaited<ReturnType<typeof startPageServer>>;
  let productId: number;
  const userId = 5;

  beforeAll(async () => {
    browser = await launchChromium();
    frontend = await startPageServer();
    stranger = await startPageServer();
  });
  // Only the frontend's origin: the stranger is another local port, not listed.
  const t = useTestApp({ env: () => ({ CORS_ORIGINS: frontend.origin }), reset: 'once' });
  beforeAll(async () => {
    productId = await insertProduct(t.dataSource, 89_000, 5, 'Wireless Earbuds');
  });

  afterAll(async () => {
    await browser?.close();
    await frontend?.close();
    await stranger?.close();
  });

  async function openPage(origin: string): Promise<Page> {
    const page = await browser.newPage();
    await page.goto(`${origin}/`);
    return page;
  }

  it('calls a public GET, a GET with a token and an idempotent POST, and reads the exposed headers', async () => {
    const page = await openPage(frontend.origin);
    const seen: Array<Promise<[string, Record<string, string>]>> = [];
    page.on('response', (response) => {
      if (!response.url().startsWith(t.baseUrl)) return;
      seen.push(
        response
          .allHeaders()
          .then((headers) => [
            `${response.request().method()} ${new URL(response.url()).pathname}`,
            headers,
          ]),
      );
    });

    // A simple request (no preflight), then one with a header that needs a preflight.
    const product = await fetchFromPage(page, `${t.baseUrl}/api/v1/products/${productId}`);
    expect(product).toEqual({
      ok: true,
      status: 200,
      body: { id: productId, name: 'Wireless Earbuds', price: 89_000, stock: 5 },
      readable: expect.objectContaining({
        'x-request-id': expect.stringMatching(/^[0-9a-f-]{36}$/),
        // Not exposed: the browser hides it from the script although it is on the response.
        'x-content-type-options': null,
      }),
    });
    const traced = await fetchFromPage(page, `${t.baseUrl}/api/v1/products/${productId}`, {
      headers: { 'x-request-id': 'browser-get-1' },
    });
    expect(traced).toMatchObject({ ok: true, status: 200 });
    expect(traced.readable!['x-request-id']).toBe('browser-get-1');

    const auth = { authorization: `Bearer ${t.token(userId)}` };
    const balance = await fetchFromPage(page, `${t.baseUrl}/api/v1/users/${userId}/balance`, {
      headers: auth,
    });
    expect(balance).toMatchObject({ ok: true, status: 200, body: { userId, balance: 0 } });
    expect(balance.readable!['x-request-id']).toEqual(expect.any(String));

    const charge = () =>
      fetchFromPage(page, `${t.baseUrl}/api/v1/users/${userId}/balance/charge`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': 'browser-1' },
        body: JSON.stringify({ amount: 50_000 }),
      });
    const first = await charge();
    expect(first).toMatchObject({ ok: true, status: 200, body: { userId, balance: 50_000 } });
    expect(first.readable!['idempotent-replayed']).toBeNull();
    const replay = await charge();
    expect(replay).toMatchObject({ ok: true, status: 200, body: { userId, balance: 50_000 } });
    expect(replay.readable!['idempotent-replayed']).toBe('true');

    // The POST with a token, a JSON body and an Idempotency-Key went through: the browser's
    // preflight was answered. On the wire, ETag is among the exposed headers (the catalogue's ETag
    // itself comes with issue 12; reading it in the page is to be asserted then).
    const wire = Object.fromEntries(await Promise.all(seen));
    expect(Object.keys(wire)).toEqual(
      expect.arrayContaining([`POST /api/v1/users/${userId}/balance/charge`]),
    );
    for (const headers of Object.values(wire)) {
      expect(headers['access-control-allow-origin']).toBe(frontend.origin);
      expect(headers['access-control-expose-headers']?.split(', ')).toContain('ETag');
    }
    await page.close();
  });

  it('refuses a page from an origin that is not listed: the browser blocks every call', async () => {
    const page = await openPage(stranger.origin);
    const auth = { authorization: `Bearer ${t.token(userId)}` };
    const balance = async () =>
      (
        await request(t.baseUrl)
          .get(`/api/v1/users/${userId}/balance`)
          .set(t.auth(userId))
          .expect(200)
      ).body.balance;
    const before = await balance();

    const calls = [
      await fetchFromPage(page, `${t.baseUrl}/api/v1/products/${productId}`),
      await fetchFromPage(page, `${t.baseUrl}/api/v1/users/${userId}/balance`, { headers: auth }),
      await fetchFromPage(page, `${t.baseUrl}/api/v1/users/${userId}/balance/charge`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': 'stranger-1' },
        body: JSON.stringify({ amount: 1_000 }),
      }),
    ];
    for (const call of calls) expect(call).toEqual({ ok: false, error: expect.any(String) });
    // The refused preflight kept the POST from being sent at all: the balance did not move.
    expect(await balance()).toBe(before);
    await page.close();
  });
});
