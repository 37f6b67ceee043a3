/** Polls `check` every 500 ms until it answers, or `deadlineMs` passes (then undefined): a benchmark never waits forever. */
export async function until<T>(deadlineMs: number, check: () => T | undefined | Promise<T | undefined>): Promise<T | undefined> {
  const end = performance.now() + deadlineMs;
  for (;;) {
    const value = await check();
    if (value !== undefined || performance.now() > end) return value;
    await sleep(500);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
