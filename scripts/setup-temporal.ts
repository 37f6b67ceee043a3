import { provisionTemporalCli, TemporalCliUnavailableError } from './lib/temporal-cli';

/** `npm run setup:temporal`: finds or builds the Temporal CLI and says where it came from. */
async function main(): Promise<void> {
  const cli = await provisionTemporalCli((line) => console.log(line));
  console.log(`Temporal CLI: ${cli.path}`);
  console.log(`  source:  ${cli.source}`);
  console.log(`  version: ${cli.version}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof TemporalCliUnavailableError ? err.message : `setup:temporal failed: ${String(err)}`);
  process.exit(1);
});
