// Serves a folder over HTTP on localhost: by default dist/ (the built page, see scripts/build);
// `--repo` serves the repository root instead (the bench pages at /scripts/bench/, the wasm at /pkg/).
// `node scripts/serve.mjs [port] [--repo] [--host ADDR]` prints the URL (`--host 0.0.0.0` listens
// on every interface, for a container or over SSH; the default is this machine only); tests
// import `serve()` with port 0.
// Like a static host with precompression on, it sends a file's `.br` or `.gz` copy (made by
// scripts/build) when the browser accepts that encoding, so the tests load what readers get.
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(fileURLToPath(new URL('..', import.meta.url)));
export const DIST = join(REPO, 'dist');
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8', '.json': 'application/json',
  '.wasm': 'application/wasm', '.css': 'text/css', '.png': 'image/png', '.webp': 'image/webp', '.gz': 'application/gzip',
};

/** Serves `root` on `port` (0: any free one). Options: `host` to listen on; `headers` sent with
 *  every response (a test's Content-Security-Policy, a CDN's CORS); `html(text)`, a rewrite of
 *  every HTML page (then served uncompressed). */
export function serve(port = 8080, root = DIST, { host = '127.0.0.1', headers: always = {}, html = null } = {}) {
  const server = http.createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    const file = join(root, path.endsWith('/') ? `${path}index.html` : path);
    if (!file.startsWith(root)) return res.writeHead(403, always).end();
    const rewrite = html && extname(file) === '.html';
    const accepts = rewrite ? '' : req.headers['accept-encoding'] ?? '';
    const encodings = [['br', '.br'], ['gzip', '.gz']].filter(([e]) => new RegExp(`\\b${e}\\b`).test(accepts));
    const headers = { ...always, 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', vary: 'accept-encoding' };
    for (const [encoding, suffix] of encodings) {
      try {
        const body = await readFile(file + suffix);
        res.writeHead(200, { ...headers, 'content-encoding': encoding });
        return res.end(body);
      } catch { /* no precompressed copy: try the next, then the file itself */ }
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, headers);
      res.end(rewrite ? html(body.toString()) : body);
    } catch {
      res.writeHead(404, always).end('not found');
    }
  });
  return new Promise((ok) => server.listen(port, host, () => ok(server)));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const repo = args.includes('--repo');
  const at = args.indexOf('--host');
  const host = at >= 0 ? args[at + 1] : '127.0.0.1';
  if (!host || host.startsWith('--')) throw new Error('--host needs an address, e.g. --host 0.0.0.0');
  const port = Number(args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--host') ?? 8080);
  const server = await serve(port, repo ? REPO : DIST, { host });
  const where = repo ? 'scripts/bench/' : '';
  const shown = host === '0.0.0.0' ? '<this machine\'s address>' : host;
  console.log(`serving ${repo ? 'the repository' : 'the lab page'} on http://${shown}:${server.address().port}/${where}`);
}
