/** One `?` per value, for an `IN (...)` list: `placeholders([7, 8, 9])` is `'?, ?, ?'`. */
export const placeholders = (values: readonly unknown[]): string =>
  values.map(() => '?').join(', ');
