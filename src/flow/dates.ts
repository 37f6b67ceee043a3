/** Twilio's date format: ISO-8601 in UTC without milliseconds (`2026-11-25T15:00:00Z`). */
export function twilioDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
