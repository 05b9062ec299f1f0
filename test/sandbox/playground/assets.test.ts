/**
 * The page's modules reach the browser both ways the bot runs: compiled by `npm run build` (served
 * as built, no compiler needed) and from source (transpiled on first request). Each way serves the
 * whole module graph the page imports, as JavaScript a browser can parse.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClientAssets } from '../../../src/sandbox/playground/assets.js';

const SOURCE = new URL('../../../src/sandbox/playground/client/', import.meta.url);
let built: string;
const servers: Server[] = [];

beforeAll(() => {
  built = mkdtempSync(path.join(tmpdir(), 'gw-client-'));
  // The same compiler and settings as `npm run build`, into a folder of the test's own.
  execFileSync(
    process.execPath,
    [
      'node_modules/typescript/bin/tsc',
      '-p',
      'src/sandbox/playground/client/tsconfig.json',
      '--outDir',
      built,
    ],
    { stdio: 'pipe' },
  );
}, 60_000);
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  rmSync(built, { recursive: true, force: true });
});

async function serve(dir: URL): Promise<string> {
  const handle = createClientAssets(dir);
  const server = createServer((req, res) => {
    void handle(req.url ?? '/', res).then((handled) => {
      if (!handled) res.writeHead(418).end();
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}

/** Fetches main.js and every module it imports, transitively; returns their code by name. */
async function moduleGraph(base: string): Promise<Map<string, string>> {
  const seen = new Map<string, string>();
  const queue = ['main'];
  while (queue.length > 0) {
    const name = queue.shift() as string;
    if (seen.has(name)) continue;
    const res = await fetch(`${base}/playground/client/${name}.js`);
    expect(res.status, name).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/javascript/);
    const code = await res.text();
    seen.set(name, code);
    for (const m of code.matchAll(/from '\.\/([a-z-]+)\.js'/g)) queue.push(m[1] as string);
  }
  return seen;
}

/** Whether Node's parser accepts the code as an ES module (it is not run: it needs a DOM). */
function parses(code: string): boolean {
  try {
    execFileSync(process.execPath, ['--input-type=module', '--check'], { input: code, stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

describe('the playground page modules', () => {
  it('are served as built by npm run build, unchanged', async () => {
    const graph = await moduleGraph(await serve(pathToFileURL(`${built}/`)));
    expect([...graph.keys()].sort()).toEqual(
      expect.arrayContaining(['blocks', 'channel', 'main', 'modal', 'mrkdwn', 'pickers', 'relay', 'state']),
    );
    for (const [name, code] of graph) expect(code).toBe(readFileSync(path.join(built, `${name}.js`), 'utf8'));
  }, 30_000);

  it('are transpiled from source when not built, into JavaScript a browser can parse', async () => {
    const graph = await moduleGraph(await serve(SOURCE));
    expect(graph.size).toBeGreaterThanOrEqual(8);
    for (const [name, code] of graph) {
      expect(code, name).not.toMatch(/^import type /m);
      expect(parses(code), name).toBe(true);
    }
    // The TypeScript itself is not valid JavaScript: the check above can fail.
    expect(parses(readFileSync(new URL('modal.ts', SOURCE), 'utf8'))).toBe(false);
  }, 30_000);

  it('answers 404 for a module that does not exist, and leaves other paths alone', async () => {
    const base = await serve(SOURCE);
    expect((await fetch(`${base}/playground/client/nothing-here.js`)).status).toBe(404);
    expect((await fetch(`${base}/playground/client/..%2F..%2Fconfig%2Findex.js`)).status).toBe(418);
    expect((await fetch(`${base}/playground/client/tsconfig.json`)).status).toBe(418);
  });
});
