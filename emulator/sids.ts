import { randomBytes } from 'node:crypto';

/** Twilio SID prefixes the emulator mints. */
export type SidPrefix = 'IS' | 'CH' | 'MB' | 'WH' | 'IM' | 'SM' | 'KD' | 'UO' | 'WT' | 'PN' | 'IG';

/** A new random SID: the prefix followed by 32 lowercase hex digits, as Twilio shapes them. */
export function newSid(prefix: SidPrefix): string {
  return `${prefix}${randomBytes(16).toString('hex')}`;
}

/** True when `value` is a SID with the given two-letter prefix. */
export function isSid(value: string, prefix: string): boolean {
  return new RegExp(`^${prefix}[0-9a-fA-F]{32}$`).test(value);
}
