/** A page of results, as the application layer returns it. */
export interface Page<T> {
  items: T[];
  page: number;
  size: number;
  totalItems: number;
  totalPages: number;
}

export function pageOf<T>(items: T[], page: number, size: number, totalItems: number): Page<T> {
  return { items, page, size, totalItems, totalPages: Math.ceil(totalItems / size) };
}

export function mapPage<T, R>(page: Page<T>, map: (item: T) => R): Page<R> {
  return { ...page, items: page.items.map(map) };
}
