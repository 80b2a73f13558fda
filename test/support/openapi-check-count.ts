import { appendFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One line per e2e test file, "<responses checked> <violations>", in this run's temp file. */
function countFile(): string | undefined {
  const prefix = process.env.TEST_DB_PREFIX;
  return prefix ? join(tmpdir(), `${prefix}.openapi-checks`) : undefined;
}

export function appendCheckCount(checked: number, violations: number): void {
  const file = countFile();
  if (file) appendFileSync(file, `${checked} ${violations}\n`);
}

/** Prints the run's total (called by globalTeardown) and removes the file. */
export function reportCheckCount(): void {
  const file = countFile();
  if (!file || !existsSync(file)) return;
  let checked = 0;
  let violations = 0;
  for (const line of readFileSync(file, 'utf8').split('\n').filter(Boolean)) {
    const [c, v] = line.split(' ').map(Number);
    checked += c;
    violations += v;
  }
  rmSync(file, { force: true });
  process.stderr.write(
    `\nOpenAPI: ${checked} e2e responses checked against the document, ${violations} outside it\n`,
  );
}
