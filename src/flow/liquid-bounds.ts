import { type Context, type Emitter, ForTag, type Hash, type Liquid, TablerowTag, type Template } from 'liquidjs';
import { FlowError } from './errors';
import { describeBytes, MAX_RENDERED_BYTES } from './limits';
import { chargeWork } from './work-meter';

/**
 * Bounds on what one Liquid render may cost. Workflow code runs under Temporal's 5 s limit per activation, and
 * going past it crashes the worker, so a template must not be able to run long however it is written:
 *
 * - Studio's loop cap: `for` and `tablerow` run at most 15 iterations (Studio FAQ, "What limits are present within
 *   Studio?": "Liquid Template Language loops are restricted to 15 iterations"). A `limit:` above 15 is lowered.
 * - Work counted in characters of template source rendered (work-meter.ts), so that nesting cannot multiply the
 *   cost unchecked (six nested loops would otherwise run 15^6 bodies).
 * - The output's size, checked as it grows, so that a loop writing a large value stops at the limit, not after.
 *
 * liquidjs's own `renderLimit` is no help here: it reads the clock (`performance.now()`, falling back to
 * `Date.now()`), and inside a workflow activation the clock stands still, so the limit never trips. Checked: with
 * `renderLimit: 1` (ms), three nested 15-turn loops fail in plain Node and render in full inside the workflow sandbox. Allocation
 * (ranges, `append`, `split`, `join`, `sort`, ...) is bounded by liquidjs's `memoryLimit`, set in liquid.ts.
 */
export const MAX_LOOP_ITERATIONS = 15;

/** Thrown when a render goes past one of the bounds; liquid.ts turns it into a TemplateError. */
export class RenderBoundError extends FlowError {
  constructor(message: string) {
    super(message);
    this.name = 'RenderBoundError';
  }
}

/** Installs the loop cap, the work budget and the growing-output check on `engine`. */
export function boundRendering(engine: Liquid): void {
  engine.registerTag('for', CappedFor);
  engine.registerTag('tablerow', CappedTablerow);
  const renderer = engine.renderer;
  const render = renderer.renderTemplates.bind(renderer);
  renderer.renderTemplates = function* (templates: Template[], ctx: Context, emitter?: Emitter) {
    spend(templates);
    const html: unknown = yield* render(templates, ctx, emitter);
    checkOutput((emitter as { buffer?: unknown } | undefined)?.buffer ?? html);
    return html;
  };
}

class CappedFor extends ForTag {
  constructor(...args: ConstructorParameters<typeof ForTag>) {
    super(...args);
    capLimit(this.hash);
  }
}

class CappedTablerow extends TablerowTag {
  constructor(...args: ConstructorParameters<typeof TablerowTag>) {
    super(...args);
    capLimit(this.args);
  }
}

/** Both tags apply their `limit:` argument after `offset:`; forcing it to at most 15 caps every loop. */
function capLimit(hash: Hash): void {
  const render = hash.render.bind(hash);
  hash.render = function* (ctx: Context) {
    const values: Record<string, unknown> = yield* render(ctx);
    const requested = values.limit;
    const asked = Number(requested);
    return { ...values, limit: requested !== undefined && asked >= 0 && asked < MAX_LOOP_ITERATIONS ? requested : MAX_LOOP_ITERATIONS };
  };
}

function spend(templates: readonly Template[]): void {
  let units = 0;
  for (const template of templates) units += Math.max(1, template.token.end - template.token.begin);
  chargeWork(units);
}

function checkOutput(output: unknown): void {
  // Characters never outnumber UTF-8 bytes, so this cheap test never stops a value that is within the limit.
  if (typeof output === 'string' && output.length > MAX_RENDERED_BYTES) {
    throw new RenderBoundError(`the rendered value is larger than ${describeBytes(MAX_RENDERED_BYTES)}`);
  }
}
