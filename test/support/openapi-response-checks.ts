/**
 * Jest setup file of the e2e project (jest.config.js, setupFilesAfterEnv): every response of
 * every e2e request is checked against the OpenAPI document (see openapi-validator.ts); a test
 * during which a response fell outside it fails, and the run's total is printed at the end.
 */
import { appendCheckCount } from './openapi-check-count';
import { enableResponseChecks, formatViolations } from './openapi-validator';

const checks = enableResponseChecks();
let outside = 0;

function failOnViolations(): void {
  const violations = checks.violations.splice(0);
  outside += violations.length;
  if (violations.length > 0) throw new Error(formatViolations(violations));
}

afterEach(failOnViolations);

afterAll(() => {
  try {
    failOnViolations();
  } finally {
    appendCheckCount(checks.checked, outside);
    checks.checked = 0;
    outside = 0;
  }
});
