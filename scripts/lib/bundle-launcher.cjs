// Runs an app's bundle (dist/bundle/<app>.code.js) with a V8 code cache. Copied to dist/bundle/ by
// scripts/bundle.cjs; dist/bundle/<app>.js calls it. Compiling the 20 MB bundle is about half of what is
// left of a boot, and Node 20 has no compile cache of its own (NODE_COMPILE_CACHE is Node ≥ 22.1), so the
// first boot after a build saves the bytecode V8 compiled and later boots start from it. The cache file
// is named after the bundle's content hash (V8 itself only checks the source's length) and the Node
// version and flags; it is written atomically, and a cache V8 rejects anyway is simply rewritten.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');
const { isAscii } = require('node:buffer');
const crypto = require('node:crypto');

/** Time after start at which the cache is written: by then the app has booted (tests kill some with -9). */
const WRITE_AFTER_MS = 5000;

/**
 * The node flags a process runs with (command line and NODE_OPTIONS), without `-e` and its code. V8
 * rejects bytecode made under other flags (the workflow app's `--max-semi-space-size`), so each set of
 * flags keeps its own cache: an app started without them (boot-config's checks) no longer replaces the
 * cache every later boot with them needs.
 */
function nodeFlags(execArgv = process.execArgv, nodeOptions = process.env.NODE_OPTIONS ?? '') {
  const flags = [];
  for (let i = 0; i < execArgv.length; i++) {
    if (execArgv[i] === '-e' || execArgv[i] === '--eval' || execArgv[i] === '-p' || execArgv[i] === '--print')
      i++;
    else flags.push(execArgv[i]);
  }
  return [...flags, ...nodeOptions.split(/\s+/).filter(Boolean)].sort().join(' ');
}

/** `contentHash` is the bundle's, taken when it was built: V8 accepts a cache made for any source of the same length. */
function cacheFileFor(file, contentHash, flags = nodeFlags()) {
  const flagsHash = crypto.createHash('sha256').update(flags).digest('hex').slice(0, 8);
  const key = `${path.basename(file, '.js')}-${contentHash}-${flagsHash}-${process.version}-${process.arch}`;
  return path.join(path.dirname(file), '.v8-cache', `${key}.bin`);
}

function saveCache(script, cacheFile) {
  try {
    fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
    const temp = `${cacheFile}.${process.pid}`;
    fs.writeFileSync(temp, script.createCachedData());
    fs.renameSync(temp, cacheFile);
  } catch {
    // read-only install (the Docker image runs as `node`): every boot compiles, as without a cache
  }
}

/**
 * --enable-source-maps does not reach code compiled through vm on Node 20: map the bundle's frames
 * (to the TypeScript sources, through swc's maps) the same way, parsing the map on the first stack.
 */
function mapStackFrames(file) {
  let map;
  const sourceMap = () => {
    if (map === undefined) {
      try {
        map = new Module.SourceMap(JSON.parse(fs.readFileSync(`${file}.map`, 'utf8')));
      } catch {
        map = null;
      }
    }
    return map;
  };
  const position = (frame) => `${frame.getFileName()}:${frame.getLineNumber()}:${frame.getColumnNumber()}`;
  Error.prepareStackTrace = (error, frames) => {
    let header;
    try {
      header = Error.prototype.toString.call(error);
    } catch {
      header = '<error>';
    }
    const lines = frames.map((frame) => {
      const text = `    at ${frame}`;
      if (frame.getFileName() !== file || !sourceMap()) return text;
      const entry = map.findEntry(frame.getLineNumber() - 1, frame.getColumnNumber() - 1);
      if (!entry || !entry.originalSource) return text;
      const source = entry.originalSource.startsWith('file://')
        ? new URL(entry.originalSource).pathname
        : path.resolve(path.dirname(file), entry.originalSource);
      return text.replace(position(frame), `${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}`);
    });
    return [header, ...lines].join('\n');
  };
}

/**
 * The bundle is written ASCII-only (scripts/bundle.cjs): read as one-byte text it costs a fraction of
 * UTF-8 decoding (~60 against ~360 ms of CPU for the gateway's 20 MB), and V8 keeps half the bytes.
 */
function readSource(file) {
  const bytes = fs.readFileSync(file);
  return bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
}

function run(file, contentHash) {
  const cacheFile = cacheFileFor(file, contentHash);
  let cachedData;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    // first boot after a build
  }
  const script = new vm.Script(Module.wrap(readSource(file)), {
    filename: file,
    cachedData,
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  if (!cachedData || script.cachedDataRejected) {
    // Once, after the boot has compiled what a boot needs, or at exit if that comes first.
    let saved = false;
    const save = () => {
      if (saved) return;
      saved = true;
      saveCache(script, cacheFile);
    };
    setTimeout(save, WRITE_AFTER_MS).unref();
    process.once('exit', save);
  }
  if (process.sourceMapsEnabled) mapStackFrames(file);
  const bundleModule = new Module(file, module);
  bundleModule.filename = file;
  bundleModule.paths = Module._nodeModulePaths(path.dirname(file));
  const wrapper = script.runInThisContext();
  wrapper.call(
    bundleModule.exports,
    bundleModule.exports,
    Module.createRequire(file),
    bundleModule,
    file,
    path.dirname(file),
  );
}

module.exports = { run, cacheFileFor, nodeFlags };
