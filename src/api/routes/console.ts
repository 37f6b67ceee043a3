import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import express, { Router } from 'express';
import type { Config } from '../../config';
import { PROJECT_ROOT } from '../../project-root';
import type { ExecutionCommands } from '../../services/execution-commands';
import { requireSids } from '../sid-params';
import { consoleEmulatorRoutes } from './console-emulator';

/** Where the console's own static files live (shipped with the package, next to this API). */
const CONSOLE_DIR = join(PROJECT_ROOT, 'src', 'api', 'console');

/**
 * The browser modules the console imports, by the bare name its import map uses: each is one ESM file of a package in
 * node_modules, served as it ships (no bundler, nothing fetched from the internet).
 */
const VENDOR_FILES: Record<string, { readonly pkg: string; readonly file: string }> = {
  'preact.mjs': { pkg: 'preact', file: 'dist/preact.mjs' },
  'preact-hooks.mjs': { pkg: 'preact', file: 'hooks/dist/hooks.mjs' },
  'htm.mjs': { pkg: 'htm', file: 'dist/htm.mjs' },
  'dagre.mjs': { pkg: '@dagrejs/dagre', file: 'dist/dagre.esm.js' },
};

/**
 * The folder of an installed package: up from its main entry to the package.json that names it. (Not
 * `require.resolve('<pkg>/package.json')`: packages whose `exports` leave it out, htm for one, refuse that in Node.)
 */
function packageDir(pkg: string): string {
  for (let dir = dirname(require.resolve(pkg)); dirname(dir) !== dir; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === pkg) return dir;
  }
  throw new Error(`cannot find the folder of package ${pkg}`);
}

/** What the console needs to know about this deployment (GET /console/config.json). */
export interface ConsoleSettings {
  readonly accountSid: string;
  /** Base of the Temporal UI; an execution's workflow is at `${temporalUiUrl}/namespaces/${namespace}/workflows/${sid}`. */
  readonly temporalUiUrl: string;
  readonly namespace: string;
  /** True when Twilio is the local emulator: the phone is shown and /console/emulator reaches it. */
  readonly phone: boolean;
}

/** The settings the console reads at start; the phone only when every Twilio call goes to the emulator. */
export function consoleSettings(config: Config): ConsoleSettings {
  return {
    accountSid: config.twilio.accountSid,
    temporalUiUrl: config.temporalUiUrl,
    namespace: config.temporal.namespace,
    phone: config.twilio.apiBaseUrl !== undefined,
  };
}

/**
 * The web console under /console (mounted behind the API's Basic auth): its static pages, the browser modules they
 * import, its settings, the execution warnings Studio's API has no resource for, and (with the emulator) a pass-through
 * to the emulator, whose origin the browser holds no credentials for.
 */
export function consoleRoutes(config: Config, executions: ExecutionCommands): Router {
  const router = Router();
  const settings = consoleSettings(config);
  router.get('/config.json', (_req, res) => {
    res.json(settings);
  });
  for (const [name, { pkg, file }] of Object.entries(VENDOR_FILES)) {
    const path = join(packageDir(pkg), file);
    router.get(`/vendor/${name}`, (_req, res) => {
      res.type('text/javascript').sendFile(path);
    });
  }
  // Studio shows 81002 ("unexpected event") in the Debugger, not in its v2 API; the execution's view holds them.
  const warnings = Router({ mergeParams: true });
  requireSids(warnings, { flowSid: 'FW', sid: 'FN' });
  warnings.get('/api/Flows/:flowSid/Executions/:sid/Warnings', async (req, res) => {
    const record = await executions.get(req.params.flowSid, req.params.sid);
    res.json({ warnings: record.warnings });
  });
  router.use(warnings);
  if (settings.phone && config.twilio.apiBaseUrl) router.use('/emulator', consoleEmulatorRoutes(config.twilio.apiBaseUrl));
  router.use(express.static(CONSOLE_DIR, { index: 'index.html', redirect: true }));
  return router;
}
