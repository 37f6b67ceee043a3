import type { Request } from 'express';
import { badRequest } from './api-error';
import type { ResourceContext } from './resources/flow-resources';

/** Pages beyond this are refused, so offsets (`Page` × `PageSize`) stay exact integers. */
const MAX_PAGE = 1_000_000;

export interface PageRequest {
  readonly pageSize: number;
  /** Zero-based page number, as Twilio counts. */
  readonly page: number;
  /** Temporal's visibility page token, opened from the request's `PageToken` (see PageTokens). */
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

/**
 * Reads Twilio's `PageSize` (1–`max`, default 50), `Page` (0–1,000,000) and `PageToken` query parameters; each given
 * once. A `PageToken` this API did not issue for this list is a 400.
 */
export function readPaging(req: Request, ctx: ResourceContext, max = 1000): PageRequest {
  const pageSize = integerParam(req.query.PageSize, 'PageSize', 50);
  const page = integerParam(req.query.Page, 'Page', 0);
  if (pageSize < 1 || pageSize > max) throw badRequest(`PageSize must be between 1 and ${max}`);
  if (page < 0 || page > MAX_PAGE) throw badRequest(`Page must be between 0 and ${MAX_PAGE}`);
  const token = req.query.PageToken;
  if (token !== undefined && typeof token !== 'string') throw badRequest('PageToken must be given once');
  return { pageSize, page, pageToken: token ? ctx.pageTokens.open(req.path, token) : undefined };
}

/** Twilio's list `meta`. `listUrl` is the list's absolute URL without paging parameters; `filters` are kept in every link. */
export function pageMeta(
  ctx: ResourceContext,
  key: string,
  listUrl: string,
  paging: PageRequest,
  next: { readonly hasMore: boolean; readonly pageToken?: string },
  filters: Record<string, string> = {},
): PageMeta {
  const listPath = listUrl.slice(ctx.baseUrl.length);
  const link = (page: number, token?: string) => {
    const params = new URLSearchParams({ ...filters, PageSize: String(paging.pageSize), Page: String(page) });
    if (token) params.set('PageToken', ctx.pageTokens.seal(listPath, token));
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
  if (typeof value !== 'string' || !/^-?\d{1,16}$/.test(value)) throw badRequest(`${name} must be an integer, given once`);
  return Number(value);
}
