import request from 'supertest';
import { TestApp } from '../support/test-app';
import { useTwoTestApps } from '../support/use-test-app';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** With REDIS_URL, the rate limit is one budget across every process. */
describe('rate limit shared through Redis (two app instances)', () => {
  const { a, b } = useTwoTestApps({
    env: { RATE_LIMIT_PER_MINUTE: '4', REDIS_URL },
    reset: 'never',
  });

  const balance = (app: TestApp, userId: number) =>
    request(app.baseUrl).get(`/api/v1/users/${userId}/balance`).set(app.auth(userId));

  it('counts a user across both instances: the 5th request within the minute is 429 wherever it lands', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await balance(i % 2 === 0 ? a : b, 21)).status);
    const fifth = await balance(a, 21);
    const sixth = await balance(b, 21);

    expect(statuses).toEqual([200, 200, 200, 200]);
    expect([fifth.status, sixth.status]).toEqual([429, 429]);
    expect(fifth.body.code).toBe('TOO_MANY_REQUESTS');
    expect(Number(sixth.headers['retry-after'])).toBeGreaterThan(0);
    // Another user has a budget of their own.
    expect((await balance(b, 22)).status).toBe(200);
  });
});
