import { invalidParameter } from './errors';
import { one, type Params } from './params';

/** A Twilio list page: the records under `key` plus `meta` with absolute page URLs. */
export type ListBody = Record<string, unknown> & { meta: PageMeta };

interface PageMeta {
  page: number;
  page_size: number;
  first_page_url: string;
  previous_page_url: string | null;
  next_page_url: string | null;
  url: string;
  key: string;
}

export interface ListOptions {
  /** Absolute collection URL on the real Twilio domain. */
  readonly url: string;
  /** Name of the array in the body (`conversations`, `participants`, …). */
  readonly key: string;
  /** Filter params to carry into every page URL, in order. */
  readonly filters?: ReadonlyArray<[string, string]>;
  /** The largest `PageSize` the resource allows (100 unless its OAI says otherwise). */
  readonly maxPageSize?: number;
}

/**
 * One page of `items` for `query` (`PageSize` 1–100, default 50; `Page`; `PageToken`). Tokens name the
 * record the page starts after (`PA…`) or ends before (`PB…`), so following next_page_url stays correct
 * when records are added or removed between requests.
 */
export function paginate<T extends { sid: string }>(
  items: readonly T[],
  query: Params,
  options: ListOptions,
  render: (item: T) => unknown,
): ListBody {
  const { page, size, records, links } = pageOf(items, query, options, options.maxPageSize ?? 100);
  const meta: PageMeta = {
    page,
    page_size: size,
    first_page_url: links.first,
    previous_page_url: links.previous,
    next_page_url: links.next,
    url: links.self,
    key: options.key,
  };
  return { [options.key]: records.map(render), meta };
}

/** The page `query` asks for (`PageSize` 1–`maxSize`, default 50), its records and the URLs of its neighbours. */
function pageOf<T extends { sid: string }>(items: readonly T[], query: Params, options: ListOptions, maxSize: number) {
  const size = intParam(query, 'PageSize', 50, 1, maxSize);
  const page = intParam(query, 'Page', 0, 0, Number.MAX_SAFE_INTEGER);
  const token = one(query, 'PageToken');
  const start = startIndex(items, token, page * size, size);
  const records = items.slice(start, start + size);
  const link = (p: number, t?: string) => pageUrl(options, size, p, t);
  const first = records[0];
  const last = records[records.length - 1];
  const links = {
    first: link(0),
    previous: start > 0 && first ? link(Math.max(page - 1, 0), `PB${first.sid}`) : null,
    next: start + size < items.length && last ? link(page + 1, `PA${last.sid}`) : null,
    self: link(page, token),
  };
  return { page, size, start, records, links };
}

function startIndex(items: readonly { sid: string }[], token: string | undefined, fallback: number, size: number) {
  if (token === undefined) return fallback;
  if (!/^P[AB]/.test(token)) throw invalidParameter('PageToken', 'is not a token this API issued');
  const anchor = items.findIndex((item) => item.sid === token.slice(2));
  // The anchor record was deleted since the token was issued: the page number is the best guess left.
  if (anchor < 0) return fallback;
  return token.startsWith('PA') ? anchor + 1 : Math.max(anchor - size, 0);
}

function pageUrl(options: ListOptions, size: number, page: number, token?: string): string {
  const query = new URLSearchParams([...(options.filters ?? []), ['PageSize', String(size)], ['Page', String(page)]]);
  if (token !== undefined) query.append('PageToken', token);
  return `${options.url}?${query.toString()}`;
}

function intParam(query: Params, name: string, fallback: number, min: number, max: number): number {
  const raw = one(query, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw invalidParameter(name, `must be an integer from ${min} to ${max}`);
  }
  return value;
}

/** A 2010-04-01 list page: the records under `key` plus the page keys at the top level, URIs relative to the host. */
export type LegacyListBody = Record<string, unknown> & {
  readonly first_page_uri: string;
  readonly next_page_uri: string | null;
  readonly previous_page_uri: string | null;
  readonly uri: string;
  readonly page: number;
  readonly page_size: number;
  readonly start: number;
  readonly end: number;
};

/**
 * One page of `items` as the 2010-04-01 API lists them (`/2010-04-01/Accounts/AC…/Messages.json`): the same
 * `PageSize`, `Page` and `PageToken` rules as `paginate`, with Twilio's older page keys (`uri`, `first_page_uri`,
 * `next_page_uri`, `previous_page_uri`, `page`, `page_size`, `start`, `end`) beside the records instead of a `meta`.
 * `options.url` is the collection's path (`/2010-04-01/Accounts/AC…/Messages.json`).
 */
export function paginateLegacy<T extends { sid: string }>(
  items: readonly T[],
  query: Params,
  options: ListOptions,
  render: (item: T) => unknown,
): LegacyListBody {
  const { page, size, start, records, links } = pageOf(items, query, options, 1000);
  return {
    [options.key]: records.map(render),
    first_page_uri: links.first,
    previous_page_uri: links.previous,
    next_page_uri: links.next,
    uri: links.self,
    page,
    page_size: size,
    start,
    end: start + Math.max(records.length - 1, 0),
  };
}
