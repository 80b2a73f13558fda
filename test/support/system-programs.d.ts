/** Where the tests run the system programs from (see system-programs.js). */
export const CHROMIUM: string;
export const PROMETHEUS: string;
export const PROMTOOL: string;
export function testsWithoutTheirProgram(): string[];
