/**
 * The page's script, served as ES modules under `/playground/client/<module>.js`.
 *
 * Why two ways: the modules are TypeScript (`client/*.ts`, type-checked against the DOM by
 * `npm run typecheck` and linted like the rest). `npm run build` — which `npm start` and the
 * Docker image run — compiles them with tsc into `dist/sandbox/playground/client/`, beside the compiled
 * copy of this file, and those `.js` files are served as they are: production needs no compiler,
 * which matters because the image installs production dependencies only. When the bot runs from
 * source (the tests, under vitest or tsx) there is no `.js` beside the `.ts`, and each module is
 * transpiled on its first request by TypeScript's `transpileModule` — a development dependency,
 * present wherever the sources run. It strips types only; type errors are the typecheck's job.
 */
import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';

const CLIENT_DIR = new URL('./client/', import.meta.url);
const MODULE_PATH = /^\/playground\/client\/([a-z][a-z0-9-]*)\.js$/;

async function readIfPresent(url: URL): Promise<string | undefined> {
  try {
    return await readFile(url, 'utf8');
  } catch {
    return undefined;
  }
}

async function transpile(source: string, fileName: string): Promise<string> {
  const ts = (await import('typescript')).default;
  return ts.transpileModule(source, {
    fileName,
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ES2022 },
  }).outputText;
}

/** `dir`: where the modules are, as a folder URL (tests point it at a build of their own). */
export function createClientAssets(dir: URL = CLIENT_DIR) {
  const cache = new Map<string, string>();

  async function load(name: string): Promise<string | undefined> {
    const cached = cache.get(name);
    if (cached !== undefined) return cached;
    const built = await readIfPresent(new URL(`${name}.js`, dir));
    const source = built === undefined ? await readIfPresent(new URL(`${name}.ts`, dir)) : undefined;
    const code = built ?? (source === undefined ? undefined : await transpile(source, `${name}.ts`));
    if (code !== undefined) cache.set(name, code);
    return code;
  }

  /** Answers a request for a client module; false when the path is not one. */
  return async function serveClientModule(path: string, res: ServerResponse): Promise<boolean> {
    const name = MODULE_PATH.exec(path)?.[1];
    if (!name) return false;
    const code = await load(name);
    if (code === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`no playground module ${name}`);
      return true;
    }
    res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' });
    res.end(code);
    return true;
  };
}
