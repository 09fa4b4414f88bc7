// Following Relay-style pages. Pure apart from the page fetcher it is given.
import type { Connection } from './types';

export interface PagedResult<T> {
  nodes: T[];
  totalCount: number | null;
  /** True when maxPages stopped us before the last page. */
  truncated: boolean;
}

/**
 * Fetches `first`-sized pages from `after = null` until `hasNextPage` is false, `maxPages` is
 * reached, or `isCancelled()` says the caller has moved on (then it returns what it has).
 * A page without an endCursor ends the walk (a server bug must not loop forever).
 */
export async function fetchAllPages<T>(
  fetchPage: (after: string | null) => Promise<Connection<T>>,
  options: { maxPages: number; isCancelled?: () => boolean; onPage?: (nodes: T[]) => void },
): Promise<PagedResult<T>> {
  const nodes: T[] = [];
  let after: string | null = null;
  let totalCount: number | null = null;
  for (let page = 0; page < options.maxPages; page++) {
    const conn = await fetchPage(after);
    if (options.isCancelled?.()) return { nodes, totalCount, truncated: false };
    totalCount = conn.totalCount ?? totalCount;
    const pageNodes = conn.edges.map((e) => e.node);
    nodes.push(...pageNodes);
    options.onPage?.(pageNodes);
    const next = conn.pageInfo?.hasNextPage ? conn.pageInfo.endCursor : null;
    if (!next || next === after) return { nodes, totalCount, truncated: false };
    after = next;
  }
  return { nodes, totalCount, truncated: true };
}
