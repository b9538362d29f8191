// Optimises a wasm-bindgen module in place with binaryen's wasm-opt (npm's `binaryen`, pinned in
// package.json; never Debian's v108, whose output fails to load):
//   node scripts/wasm-opt.mjs path/to/module_bg.wasm [-O1 | -Oz | --strip-debug ...]
// Results are cached under ~/.cache/gan-lab/wasm-opt by the input's hash, the flags and
// binaryen's version: a rebuild that changed no Rust takes no time here, while the WebGPU
// module takes minutes. The default level is the one scripts/build uses; see there.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');
const [file, ...levels] = process.argv.slice(2);
if (!file) {
  console.error('usage: node scripts/wasm-opt.mjs MODULE.wasm [wasm-opt flags]');
  process.exit(2);
}
// What Rust's wasm32 target emits (its default features, plus simd128 from .cargo/config.toml);
// wasm-opt refuses a module that uses a feature not named here.
const FEATURES = ['--enable-simd', '--enable-bulk-memory', '--enable-reference-types',
  '--enable-nontrapping-float-to-int', '--enable-sign-ext', '--enable-mutable-globals',
  '--enable-multivalue'];
// Function names and the producers section are for debuggers: the `.named` copy keeps them.
const flags = [...(levels.length ? levels : ['-O1']), '--strip-debug', '--strip-producers', ...FEATURES];

const version = JSON.parse(readFileSync(join(REPO, 'node_modules/binaryen/package.json'))).version;
const input = readFileSync(file);
const key = createHash('sha256').update(input).update(JSON.stringify([flags, version])).digest('hex');
const cacheDir = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'gan-lab', 'wasm-opt');
const cached = join(cacheDir, `${key}.wasm`);

const before = input.length;
if (existsSync(cached)) {
  copyFileSync(cached, file);
} else {
  const t = Date.now();
  mkdirSync(cacheDir, { recursive: true });
  const tmp = `${cached}.${process.pid}.tmp`;
  execFileSync(join(REPO, 'node_modules/.bin/wasm-opt'), [file, '-o', tmp, ...flags], { stdio: 'inherit' });
  renameSync(tmp, cached);
  copyFileSync(cached, file);
  console.log(`wasm-opt ${flags.slice(0, levels.length || 1).join(' ')}: ${file} in ${((Date.now() - t) / 1000).toFixed(0)} s`);
}
const after = readFileSync(file).length;
console.log(`${file}: ${(before / 1024).toFixed(0)} KiB -> ${(after / 1024).toFixed(0)} KiB`);
