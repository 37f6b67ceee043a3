/** One problem in a flow definition, in Studio's shape: a JSON pointer into the definition and a message. */
export interface FlowIssue {
  readonly property_path: string;
  readonly message: string;
}

export interface FlowValidationResult {
  readonly valid: boolean;
  readonly errors: readonly FlowIssue[];
  /** Accepted but worth knowing: widget types this product does not run, property keys it ignores. */
  readonly warnings: readonly FlowIssue[];
}

/** Studio's error code for an invalid flow definition. */
export const INVALID_FLOW_DEFINITION = 81022;

/** The error Studio answers for an invalid definition: code 81022 with every issue in `details.errors`. */
export interface FlowDefinitionErrorBody {
  readonly code: typeof INVALID_FLOW_DEFINITION;
  readonly message: string;
  readonly details: { readonly errors: readonly FlowIssue[] };
}

export function toFlowDefinitionError(errors: readonly FlowIssue[]): FlowDefinitionErrorBody {
  return { code: INVALID_FLOW_DEFINITION, message: 'Invalid Flow Definition', details: { errors } };
}

/** Builds `#/states/3/properties/timeout` from its segments. */
export function pointer(...segments: ReadonlyArray<string | number>): string {
  return ['#', ...segments.map((s) => String(s).replace(/~/g, '~0').replace(/\//g, '~1'))].join('/');
}

/** True when a property value is a Liquid template, whose checks must wait until it is rendered. */
export function isLiquid(value: string): boolean {
  return value.includes('{{') || value.includes('{%');
}
