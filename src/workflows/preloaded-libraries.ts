import Ajv from 'ajv';
import { parse as parseDuration } from 'iso8601-duration';
import { Liquid } from 'liquidjs';
import { RE2JS } from 're2js';

/**
 * The third-party libraries the workflows use, named here so the worker's reusable V8 context evaluates them once at
 * boot and every workflow shares them (Temporal's `bundlerOptions.preloadModules`; see worker/workflow-bundle.ts).
 * Without this each cached workflow evaluated its own copy of each library. Referencing the exports is what keeps them:
 * webpack drops a bare `require` of a package marked `sideEffects: false`. None of them keeps per-workflow state.
 */
export const PRELOADED_LIBRARIES = [Ajv, parseDuration, Liquid, RE2JS] as const;
