import { ValidationFailedError } from '../../../common/errors/common.errors';

const PREFIX = 'p:';

/** The opaque `cursor` of keyset paging: base64url of the last id of the previous page. */
export const ProductCursor = {
  encode(afterId: number): string {
    return Buffer.from(`${PREFIX}${afterId}`).toString('base64url');
  },

  decode(cursor: string): number {
    const text = Buffer.from(cursor, 'base64url').toString();
    const id =
      text.startsWith(PREFIX) && /^\d{1,16}$/.test(text.slice(PREFIX.length))
        ? Number(text.slice(PREFIX.length))
        : NaN;
    if (!Number.isSafeInteger(id) || ProductCursor.encode(id) !== cursor) {
      throw new ValidationFailedError([
        { field: 'cursor', reason: 'cursor must be a nextCursor value from a previous page' },
      ]);
    }
    return id;
  },
};
