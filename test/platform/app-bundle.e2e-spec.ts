import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loginAsAdmin, type Stack, startStack } from '@app/testing';

// What starts every app (npm start, Docker, tests): dist/bundle/<app>.js → launch.cjs → <app>.code.js.
const bundleDir = resolve(__dirname, '../../dist/bundle');
const launcher = join(bundleDir, 'launch.cjs');
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the built launcher is plain CommonJS
const { cacheFileFor, nodeFlags: flagsOf } = require(launcher) as {
  cacheFileFor(file: string, hash: string, flags?: string): string;
  nodeFlags(execArgv?: string[], nodeOptions?: string): string;
};
/** The cache a launched child uses: its flags, and the NODE_OPTIONS it inherits from this worker. */
const cacheOf = (file: string, hash: string, nodeFlags: string[] = []) =>
  cacheFileFor(file, hash, flagsOf(nodeFlags, process.env.NODE_OPTIONS ?? ''));

function launch(file: string, hash: string, nodeFlags: string[] = []) {
  const result = spawnSync(
    process.execPath,
    [...nodeFlags, '-e', `require(${JSON.stringify(launcher)}).run(${JSON.stringify(file)}, '${hash}')`],
    { encoding: 'utf8', timeout: 30_000 },
  );
  return { status: result.status, out: result.stdout.trim(), err: result.stderr };
}

describe('app bundle launcher', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fd-bundle-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the bytecode of a boot and never runs it for another build of the same length', () => {
    const file = join(dir, 'app.code.js');
    // Same length on purpose: V8 accepts a code cache made for any source of the same length.
    writeFileSync(file, 'console.log("build-one");\n');
    expect(launch(file, 'aaaa')).toMatchObject({ status: 0, out: 'build-one' });
    expect(existsSync(cacheOf(file, 'aaaa'))).toBe(true);
    expect(launch(file, 'aaaa')).toMatchObject({ status: 0, out: 'build-one' });

    writeFileSync(file, 'console.log("build-two");\n');
    expect(launch(file, 'bbbb')).toMatchObject({ status: 0, out: 'build-two' });
    expect(launch(file, 'bbbb')).toMatchObject({ status: 0, out: 'build-two' });
  });

  it('keeps one cache per set of node flags, so boots with other flags do not replace it', () => {
    const file = join(dir, 'app.code.js');
    writeFileSync(file, 'console.log("flags");\n');
    const other = ['--max-semi-space-size=32'];
    expect(launch(file, 'ffff')).toMatchObject({ status: 0, out: 'flags' });
    const plain = statSync(cacheOf(file, 'ffff')).ino;
    // V8 rejects bytecode made under other flags: this boot compiles and keeps a cache of its own
    expect(launch(file, 'ffff', other)).toMatchObject({ status: 0, out: 'flags' });
    expect(existsSync(cacheOf(file, 'ffff', other))).toBe(true);
    expect(cacheOf(file, 'ffff', other)).not.toBe(cacheOf(file, 'ffff'));
    // the next plain boot finds its cache as it was written (a rewrite renames a new file into place)
    expect(launch(file, 'ffff')).toMatchObject({ status: 0, out: 'flags' });
    expect(statSync(cacheOf(file, 'ffff')).ino).toBe(plain);
  });

  it('ignores a damaged cache and compiles the bundle instead', () => {
    const file = join(dir, 'app.code.js');
    writeFileSync(file, 'console.log(require("node:path").basename(__filename));\n');
    expect(launch(file, 'cccc').out).toBe('app.code.js');
    writeFileSync(cacheOf(file, 'cccc'), 'not bytecode');
    expect(launch(file, 'cccc')).toMatchObject({ status: 0, out: 'app.code.js' });
  });

  it('reports errors at the TypeScript source lines with --enable-source-maps', () => {
    const file = join(dir, 'app.code.js');
    writeFileSync(
      file,
      'function fail() {\n  throw new Error("boom");\n}\nfail();\n//# sourceMappingURL=app.code.js.map\n',
    );
    // line 2 of the bundle comes from line 7 of src/orders.ts
    writeFileSync(
      `${file}.map`,
      JSON.stringify({ version: 3, sources: ['src/orders.ts'], names: [], mappings: 'AAAA;AAMA;AACA;AACA' }),
    );
    const { status, err } = launch(file, 'dddd', ['--enable-source-maps']);
    expect(status).not.toBe(0);
    expect(err).toContain('Error: boom');
    expect(err).toContain(`at fail (${join(dir, 'src/orders.ts')}:7:`);
  });
});

describe('the apps run from their bundles', () => {
  let stack: Stack | undefined;
  let dir: string;
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('never load a second copy of a bundled module from node_modules', async () => {
    dir = mkdtempSync(join(tmpdir(), 'fd-bundle-modules-'));
    // Each app writes the files Node itself loaded (outside its bundle) when it is asked to stop.
    const preload = join(dir, 'dump-modules.cjs');
    writeFileSync(
      preload,
      `const fs = require('node:fs');
       const app = require('node:path').basename(process.argv[1], '.js');
       process.once('SIGTERM', () => fs.writeFileSync(${JSON.stringify(dir)} + '/' + app + '-' + process.pid + '.json', JSON.stringify(Object.keys(require.cache))));`,
    );
    // fresh: its apps write what they loaded when they stop, so this stack must really stop
    stack = await startStack({
      label: 'app_bundle',
      env: { NODE_ARGS: `--require ${preload}` },
      fresh: true,
    });
    try {
      const admin = await loginAsAdmin(stack.http);
      expect((await stack.http.get('/api/v1/health/ready')).status).toBe(200); // terminus → TypeORM by name
      // The page DTO's @Type(() => Number) lives in class-transformer's metadata storage; the type helpers
      // (IntersectionType…) copy it through createRequire: a second storage loses the conversion.
      const page = await admin.http.get('/api/v1/monitoring/instances?pageSize=200');
      expect(page.body).toMatchObject({ code: 200 });
    } finally {
      await stack.stop();
    }
    const dumps = readdirSync(dir).filter((name) => name.endsWith('.json'));
    expect(dumps.map((name) => name.split('-')[0]).sort()).toEqual(['gateway', 'workflow']);
    for (const dump of dumps) {
      const app = dump.split('-')[0];
      const listed = JSON.parse(readFileSync(resolve(bundleDir, `${app}.modules.json`), 'utf8')) as string[];
      const bundled = new Set(listed.map((file) => resolve(bundleDir, file)));
      const loaded = JSON.parse(readFileSync(join(dir, dump), 'utf8')) as string[];
      expect({ app, twice: loaded.filter((file) => bundled.has(file)) }).toEqual({ app, twice: [] });
    }
  });
});
