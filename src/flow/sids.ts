/** Twilio SIDs: a two-letter prefix naming the resource type and 32 hex digits (`FW…`, `CH…`, `MG…`). */
export function sidPattern(prefix: string): RegExp {
  return new RegExp(`^${prefix}[0-9a-fA-F]{32}$`);
}

export function isSid(value: string, prefix: string): boolean {
  return sidPattern(prefix).test(value);
}
