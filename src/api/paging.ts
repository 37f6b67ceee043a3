import type { Request } from 'express';
import { badRequest } from './errors';

export interface PageRequest {
  readonly pageSize: number;
  /** Zero-based page number, as Twilio counts. */
  readonly page: number;
  readonly pageToken?: string;
}

export interface PageMeta {
  readonly page: number;
  readonly page_size: number;
  readonly first_page_url: string;
  readonly previous_page_url: string | null;
  readonly next_page_url: string | null;
  readonly url: string;
  readonly key: string;
}

/** Reads Twilio's `PageSize` (1–`max`, default 50), `Page` and `PageToken` query parameters. */
export function readPaging(req: Request, max = 1000): PageRequest {
  const pageSize = integerParam(req.query.PageSize, 'PageSize', 50);
  const page = integerParam(req.query.Page, 'Page', 0);
  if (pageSize < 1 || pageSize > max) throw badRequest(`PageSize must be between 1 and ${max}`);
  if (page < 0) throw badRequest('Page must not be negative');
  const token = req.query.PageToken;
  return { pageSize, page, pageToken: typeof token === 'string' && token !== '' ? token : undefined };
}

/** Twilio's list `meta`. `listUrl` is the list's absolute URL without paging parameters; `filters` are kept in every link. */
export function pageMeta(
  key: string,
  listUrl: string,
  paging: PageRequest,
  next: { readonly hasMore: boolean; readonly pageToken?: string },
  filters: Record<string, string> = {},
): PageMeta {
  const link = (page: number, token?: string) => {
    const params = new URLSearchParams({ ...filters, PageSize: String(paging.pageSize), Page: String(page) });
    if (token) params.set('PageToken', token);
    return `${listUrl}?${params.toString()}`;
  };
  return {
    page: paging.page,
    page_size: paging.pageSize,
    first_page_url: link(0),
    previous_page_url: paging.page > 0 && !paging.pageToken ? link(paging.page - 1) : null,
    next_page_url: next.hasMore ? link(paging.page + 1, next.pageToken) : null,
    url: link(paging.page, paging.pageToken),
    key,
  };
}

/** One page of an in-memory list. */
export function slicePage<T>(items: readonly T[], paging: PageRequest): { items: T[]; hasMore: boolean } {
  const start = paging.page * paging.pageSize;
  return { items: items.slice(start, start + paging.pageSize), hasMore: items.length > start + paging.pageSize };
}

function integerParam(value: unknown, name: string, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  if (typeof value !== 'string' || !/^-?\d+$/.test(value)) throw badRequest(`${name} must be an integer`);
  return Number(value);
}
