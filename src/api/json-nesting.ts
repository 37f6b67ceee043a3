/**
 * How deeply arrays and objects nest in JSON `text`, read without parsing it (strings skipped, escapes honoured), so
 * a hostile document is refused before anything recursive (a schema validator, Temporal's payload conversion, which
 * fails at about 4,500 levels) walks it. Malformed text gives some number; the parser reports the real problem.
 */
export function jsonNesting(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: the next character is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) deepest = Math.max(deepest, ++depth);
    else if (c === 0x5d || c === 0x7d) depth--;
  }
  return deepest;
}
