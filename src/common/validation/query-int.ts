import { Transform } from 'class-transformer';

/**
 * Converts a query-string integer explicitly: "12" becomes 12; anything else ("abc", "1.5",
 * "1e3", "") is left as it is, so @IsInt() rejects it with a 400 instead of seeing NaN.
 */
export const QueryInt = () =>
  Transform(({ value }) =>
    typeof value === 'string' && /^-?\d{1,16}$/.test(value) ? Number(value) : value,
  );
