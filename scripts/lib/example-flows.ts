import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { validateFlowText } from '../../src/flow/validation/validate-flow';
import { FlowNotFoundError } from '../../src/services/store-errors';
import type { FlowStore } from '../../src/services/flow-store';
import { PROJECT_ROOT } from '../../src/project-root';

const FLOWS_DIR = join(PROJECT_ROOT, 'flows');

/**
 * How a contact reaches an example flow through the emulator (flows/index.json `inbound`): a phone number whose
 * SmsUrl is the flow's URL, or an address configuration whose auto-creation webhook is (example-channels.ts).
 */
export interface ExampleInbound {
  readonly type: 'incoming-phone-number' | 'address-configuration';
  /** The number contacts text, E.164. */
  readonly address: string;
}

interface ExampleEntry {
  readonly sid: string;
  readonly file: string;
  readonly friendly_name: string;
  readonly inbound?: ExampleInbound;
}

export interface LoadedExample extends ExampleEntry {
  readonly revision: number;
  readonly outcome: 'created' | 'updated' | 'unchanged';
}

/**
 * Publishes every flow listed in flows/index.json under its stable SID: created when missing, a new revision when
 * the file changed, untouched otherwise (so restarts do not pile up revisions).
 */
export async function loadExampleFlows(store: FlowStore): Promise<LoadedExample[]> {
  const index = JSON.parse(readFileSync(join(FLOWS_DIR, 'index.json'), 'utf8')) as { flows: ExampleEntry[] };
  const loaded: LoadedExample[] = [];
  for (const entry of index.flows) {
    const result = validateFlowText(readFileSync(join(FLOWS_DIR, entry.file), 'utf8'));
    if (!result.definition) {
      const problems = result.errors.map((e) => `${e.property_path}: ${e.message}`).join('; ');
      throw new Error(`flows/${entry.file} is not a valid flow: ${problems}`);
    }
    const current = await store.get(entry.sid).catch((err: unknown) => {
      if (err instanceof FlowNotFoundError) return undefined;
      throw err;
    });
    const published = current?.latest_published;
    if (published && published.revision === current.latest.revision && isDeepStrictEqual(published.definition, result.definition) && published.friendly_name === entry.friendly_name) {
      loaded.push({ ...entry, revision: published.revision, outcome: 'unchanged' });
      continue;
    }
    const saved = await store.save(
      { friendly_name: entry.friendly_name, status: 'published', definition: result.definition, commit_message: `Loaded from flows/${entry.file}` },
      { sid: entry.sid },
    );
    loaded.push({ ...entry, revision: saved.revision, outcome: current ? 'updated' : 'created' });
  }
  return loaded;
}
