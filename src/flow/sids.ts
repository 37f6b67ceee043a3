/** Twilio SIDs: a two-letter prefix naming the resource type and 32 hex digits (`FW…`, `CH…`, `MG…`). */
export function sidPattern(prefix: string): RegExp {
  return new RegExp(`^${sidSource(prefix)}$`);
}

/** The pattern of a SID as a regular expression source, for finding SIDs inside longer text (paths, IDs). */
export function sidSource(prefix: string): string {
  return `${prefix}[0-9a-fA-F]{32}`;
}

export function isSid(value: string, prefix: string): boolean {
  return sidPattern(prefix).test(value);
}
