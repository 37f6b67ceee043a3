/** Stops the dev server that global-setup.ts started, if it started one. */
export default async function globalTeardown(): Promise<void> {
  await globalThis.__temporalDevServer?.stop();
  globalThis.__temporalDevServer = undefined;
}
