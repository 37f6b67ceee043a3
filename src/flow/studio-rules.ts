/**
 * Studio's semantics an execution runs under, pinned when it starts (patch `studio-fidelity`, workflow
 * src/workflows/execution/start.ts) and kept in its state so every replay and continue-as-new renders and compares the same.
 * Executions started before the patch have none and keep the earlier rules (case-sensitive splits, Set Variables
 * values stored as text, objects rendered as JSON, UTC dates).
 *
 * With rules: split-based-on's string operators ignore case and surrounding spaces (split-operators.ts), Set
 * Variables stores unquoted numbers as numbers (set-variables.ts), Liquid writes objects and arrays as Studio does
 * and knows `to_json`, and dates render in {@link StudioRules.timezone} (liquid.ts). README "Semantics where
 * Studio's docs are silent" cites the evidence for each.
 */
export interface StudioRules {
  /** IANA zone Liquid's date filters render in: Studio's Pacific time unless the operator chose another. */
  readonly timezone: string;
}

/** Studio's own zone for Liquid dates (Twilio support, "How do I use Liquid with Twilio Studio": "the timezone used is PST"), with DST. */
export const STUDIO_TIMEZONE = 'America/Los_Angeles';

/** True when `zone` is an IANA time zone name this runtime's Intl knows (e.g. `America/Los_Angeles`, `UTC`). */
export function isKnownTimezone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone.trim() !== '';
  } catch {
    return false;
  }
}
