import { invalidParameter } from './errors';

/** Every route's stable name; faults are switched on by these names. */
export const ROUTE_NAMES = [
  'services.create',
  'services.fetch',
  'conversations.create',
  'conversations.list',
  'conversations.fetch',
  'conversations.update',
  'conversations.delete',
  'participants.create',
  'participants.list',
  'participants.fetch',
  'participants.delete',
  'webhooks.create',
  'webhooks.list',
  'webhooks.fetch',
  'webhooks.delete',
  'messages.create',
  'messages.list',
  'messages.fetch',
  'messaging.messages.create',
  'messaging.messages.list',
  'messaging.messages.fetch',
  'interactions.create',
  'incoming-phone-numbers.create',
  'incoming-phone-numbers.list',
  'incoming-phone-numbers.fetch',
  'incoming-phone-numbers.update',
  'incoming-phone-numbers.delete',
  'address-configurations.create',
  'address-configurations.list',
  'address-configurations.fetch',
  'address-configurations.update',
  'address-configurations.delete',
] as const;

export type RouteName = (typeof ROUTE_NAMES)[number];

/** Statuses a `status` fault can answer: a refusal (400), throttling (429), an outage (500). */
export type FaultStatus = 400 | 429 | 500;

/** What a test asks for: fail (or slow down) the next `times` (default 1) calls of `route`. */
export interface FaultSpec {
  readonly route: RouteName;
  readonly kind: 'status' | 'hang' | 'commit-then-fail' | 'delay';
  /** For `status`: the answer (default 500). */
  readonly status?: FaultStatus;
  /** For `delay`: how long to hold the request before handling it normally. */
  readonly ms?: number;
  /** For `commit-then-fail`: answer 500 (default) or drop the connection after the change is made. */
  readonly after?: 'status500' | 'drop';
  readonly times?: number;
  /** Fire only on a request whose path, query or body contains this text (a contact's number, an execution SID). */
  readonly match?: string;
}

/** An armed fault; `remaining` counts down each time it fires. */
export type Fault = { readonly id: number; readonly route: RouteName; readonly match?: string; remaining: number } & (
  | { readonly kind: 'status'; readonly status: FaultStatus }
  | { readonly kind: 'hang' }
  | { readonly kind: 'delay'; readonly ms: number }
  | { readonly kind: 'commit-then-fail'; readonly after: 'status500' | 'drop' }
);

/** Armed faults, consumed in the order they were added; and waiters for replies, to act at an exact moment. */
export class FaultRegistry {
  private faults: Fault[] = [];
  private nextId = 1;
  private readonly waiters = new Map<string, Array<() => void>>();
  private readonly handledIds = new Set<number>();

  /** Resolves when the next request on `route` arrives (before any fault or handling): it is now in flight. */
  nextRequest(route: RouteName): Promise<void> {
    return this.waitFor(`request ${route}`);
  }

  /** Called by the routes when a request arrives. */
  requested(route: RouteName): void {
    this.wake(`request ${route}`);
  }

  /**
   * Resolves the moment the emulator has written its next successful reply on `route` (the resource exists and
   * the caller is about to read the answer): a test can crash the caller right there.
   */
  nextReply(route: RouteName): Promise<void> {
    return this.waitFor(`reply ${route}`);
  }

  /** Called by the routes after they reply. */
  replied(route: RouteName): void {
    this.wake(`reply ${route}`);
  }

  /**
   * Resolves once the request fault `id` fired on has been handled and answered (for a `delay`: when the change it
   * asked for is made, whether or not its caller still listens), at once if that has happened already.
   */
  handled(id: number): Promise<void> {
    return this.handledIds.has(id) ? Promise.resolve() : this.waitFor(`handled ${id}`);
  }

  /** Called by the routes once a request a fault fired on is over. */
  finished(id: number): void {
    this.handledIds.add(id);
    this.wake(`handled ${id}`);
  }

  private waitFor(moment: string): Promise<void> {
    return new Promise((resolve) => this.waiters.set(moment, [...(this.waiters.get(moment) ?? []), resolve]));
  }

  private wake(moment: string): void {
    const waiting = this.waiters.get(moment) ?? [];
    this.waiters.delete(moment);
    for (const resolve of waiting) resolve();
  }

  /** Arms a fault for the next `times` calls of its route. */
  add(spec: FaultSpec): Fault {
    return this.addFromJson(spec);
  }

  /** Arms a fault described by untrusted input (the HTTP API); throws a 400 TwilioError when it is malformed. */
  addFromJson(input: unknown): Fault {
    const fault = parseFault(input, this.nextId);
    this.nextId += 1;
    this.faults.push(fault);
    return { ...fault };
  }

  /** Disarms every fault. */
  clear(): void {
    this.faults = [];
  }

  /** The armed faults, copied. */
  list(): Fault[] {
    return this.faults.map((fault) => ({ ...fault }));
  }

  /** Fires the first fault armed for `route` that matches `request` (its path, query and body as text), if any. */
  take(route: RouteName, request = ''): Fault | undefined {
    const fault = this.faults.find((f) => f.route === route && (f.match === undefined || request.includes(f.match)));
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults = this.faults.filter((f) => f !== fault);
    return { ...fault };
  }
}

function parseFault(input: unknown, id: number): Fault {
  if (typeof input !== 'object' || input === null) throw invalidParameter('fault', 'must be a JSON object');
  const spec: Record<string, unknown> = { ...input };
  const route = ROUTE_NAMES.find((name) => name === spec.route);
  if (!route) throw invalidParameter('route', `must be one of ${ROUTE_NAMES.join(', ')}`);
  const remaining = spec.times ?? 1;
  if (typeof remaining !== 'number' || !Number.isInteger(remaining) || remaining < 1) {
    throw invalidParameter('times', 'must be a positive integer');
  }
  if (spec.match !== undefined && (typeof spec.match !== 'string' || spec.match === '')) throw invalidParameter('match', 'must be a non-empty string');
  const base = { id, route, remaining, ...(spec.match === undefined ? {} : { match: spec.match }) };
  if (spec.kind === 'hang') return { ...base, kind: 'hang' };
  if (spec.kind === 'status') {
    const status = spec.status ?? 500;
    if (status !== 500 && status !== 429 && status !== 400) throw invalidParameter('status', 'must be 400, 429 or 500');
    return { ...base, kind: 'status', status };
  }
  if (spec.kind === 'delay') {
    const ms = spec.ms;
    if (typeof ms !== 'number' || !Number.isInteger(ms) || ms < 1 || ms > 60_000) throw invalidParameter('ms', 'must be an integer from 1 to 60000');
    return { ...base, kind: 'delay', ms };
  }
  if (spec.kind === 'commit-then-fail') {
    const after = spec.after ?? 'status500';
    if (after !== 'status500' && after !== 'drop') throw invalidParameter('after', "must be 'status500' or 'drop'");
    return { ...base, kind: 'commit-then-fail', after };
  }
  throw invalidParameter('kind', "must be 'status', 'hang', 'delay' or 'commit-then-fail'");
}
