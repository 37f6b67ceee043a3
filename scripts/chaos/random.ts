/**
 * The suite's jitter between worker kills, seeded (with the fuzzer, from `--seed`) so a run can
 * be repeated: `npm run chaos -- --seed 42`. Process timing still varies between runs; the choices do not.
 */
let state = 0x5eed;

/** Seeds the generator (a 32-bit integer). */
export function seedRandom(seed: number): void {
  state = seed >>> 0;
}

/** A float in [0, 1) (mulberry32: tiny, fast, and good enough for jitter). */
export function random(): number {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/** An integer in [min, max]. */
export function randomInt(min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}
