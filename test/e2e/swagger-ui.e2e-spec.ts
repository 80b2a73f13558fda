import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { launchChromium } from '../support/chromium';
import { useTestApp } from '../support/use-test-app';

/**
 * The README's picture. It is rewritten only when missing or asked for
 * (`SWAGGER_UI_SCREENSHOT=update`), so an ordinary test run does not change a committed file;
 * otherwise the run's screenshot goes to the temp directory.
 */
const DOCS_SCREENSHOT = join(__dirname, '..', '..', 'docs', 'swagger-ui.png');

describe('Swagger UI in a browser (headless Chromium)', () => {
  const t = useTestApp({ reset: 'once' });
  let browser: Browser;
  let page: Page;
  const userId = 5;

  beforeAll(async () => {
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('authorizes with a token, tries out the balance charge and shows the 200 with the new balance', async () => {
    await page.goto(`${t.baseUrl}/docs`);
    await page
      .locator('.information-container .title')
      .filter({ hasText: 'E-commerce API' })
      .waitFor();

    // Authorize: paste the bearer token into the dialog.
    await page.locator('button.authorize').first().click();
    const dialog = page.locator('.modal-ux');
    await dialog
      .locator('input[type="text"], input[type="password"]')
      .first()
      .fill(t.token(userId));
    await dialog.locator('button.modal-btn.authorize').click();
    await dialog.locator('button.btn-done').click();
    await dialog.waitFor({ state: 'detached' });

    // Try it out on POST /users/{userId}/balance/charge.
    const operation = page.locator('#operations-balance-chargeBalance');
    await operation.locator('.opblock-summary').first().click();
    await operation.locator('button.try-out__btn').click();
    await operation.locator('tr[data-param-name="userId"] input').fill(String(userId));
    await operation.locator('textarea.body-param__text').fill('{\n  "amount": 50000\n}');
    await operation.locator('button.execute').click();

    const live = operation.locator('.live-responses-table');
    await live.locator('.response-col_status').filter({ hasText: '200' }).waitFor();
    const body = JSON.parse(
      await live.locator('.response-col_description pre').first().innerText(),
    );
    expect(body).toEqual({ userId, balance: 50_000 });
    // The token went with the request: the balance really changed.
    const res = await request(t.baseUrl).get(`/api/v1/users/${userId}/balance`).set(t.auth(userId));
    expect(res.body).toEqual({ userId, balance: 50_000 });

    const update = process.env.SWAGGER_UI_SCREENSHOT === 'update' || !existsSync(DOCS_SCREENSHOT);
    const target = update ? DOCS_SCREENSHOT : join(tmpdir(), 'swagger-ui.png');
    mkdirSync(join(target, '..'), { recursive: true });
    // From the operation's header down to the response body: the request, the curl and the 200.
    // Runs in the page: the element's box in page (not viewport) coordinates.
    type Box = { x: number; y: number; width: number; height: number };
    const onPage = (element: { getBoundingClientRect(): Box }): Box => {
      const box = element.getBoundingClientRect();
      const { scrollX, scrollY } = globalThis as unknown as { scrollX: number; scrollY: number };
      return { x: box.x + scrollX, y: box.y + scrollY, width: box.width, height: box.height };
    };
    const top = await operation.evaluate(onPage);
    const bottom = await live.locator('.response-col_description pre').first().evaluate(onPage);
    await page.screenshot({
      path: target,
      fullPage: true,
      clip: { x: top.x, y: top.y, width: top.width, height: bottom.y + bottom.height + 16 - top.y },
    });
  });
});
