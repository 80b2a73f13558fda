/** Milliseconds in a day (UTC days: no daylight saving time). */
export const DAY_MS = 86_400_000;
