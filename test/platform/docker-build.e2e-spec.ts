import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

/** The sources the Dockerfile's `deps` and `build` stages COPY from the context (not `--from` another stage). */
function buildStageSources(dockerfile: string): string[] {
  const sources: string[] = [];
  let stage = '';
  for (const line of dockerfile.split('\n')) {
    const from = /^FROM\s+\S+\s+AS\s+(\S+)/i.exec(line);
    if (from) stage = from[1];
    const copy = /^COPY\s+(?!--from)(.+)$/i.exec(line);
    if (copy && (stage === 'deps' || stage === 'build'))
      sources.push(...copy[1].trim().split(/\s+/).slice(0, -1));
  }
  return sources;
}

/**
 * No Docker engine runs here, so the image's build stage is replayed on the files it copies: the build
 * must not need anything else of the repository (it once scanned bench/, which the image leaves out).
 */
describe('Docker image: the build stage builds from what it copies', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'flowdesk-docker-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('copies package files, scripts, apps and libs only, and the apps bundle from them', () => {
    const sources = buildStageSources(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
    expect(sources).toEqual(
      expect.arrayContaining(['package.json', 'package-lock.json', 'scripts', 'apps', 'libs']),
    );
    expect(sources).not.toContain('bench');
    for (const source of sources) cpSync(join(ROOT, source), join(dir, source), { recursive: true });
    // what `npm ci` gives the stage (the console's own node_modules are not in the context either)
    rmSync(join(dir, 'apps/console/node_modules'), { recursive: true, force: true });
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');

    const result = spawnSync(
      process.execPath,
      [
        '-e',
        "require('./scripts/build.cjs').build({ console: false }).catch((e) => { console.error(e); process.exit(1); })",
      ],
      { cwd: dir, encoding: 'utf8', timeout: 240_000 },
    );
    expect(result.stderr).not.toMatch(/ENOENT|Error/);
    expect(result.status).toBe(0);
    for (const app of ['gateway', 'workflow'])
      expect(existsSync(join(dir, `dist/bundle/${app}.js`))).toBe(true);
  }, 300_000);
});

/** The services of docker-compose.yml as text blocks (two-space indented keys under `services:`). */
function composeServices(compose: string): Map<string, string> {
  const services = new Map<string, string>();
  const body = compose.slice(compose.indexOf('\nservices:\n'), compose.indexOf('\nvolumes:\n'));
  for (const block of body.split(/\n(?= {2}[\w-]+:\n)/).slice(1))
    services.set(/^ {2}([\w-]+):/.exec(block)![1], block);
  return services;
}

describe('Docker runtime: what the gateway writes survives and is writable', () => {
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
  const compose = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8');

  it('uploads go to a folder the image user owns, mounted as one named volume on every gateway', () => {
    // the app runs as `node` in /app (owned by root): without its own folder the first upload fails
    const dir = /^ENV .*\bATTACHMENTS_DIR=(\S+)/m.exec(dockerfile)?.[1];
    expect(dir).toBeDefined();
    const beforeUser = dockerfile.slice(0, dockerfile.indexOf('\nUSER node'));
    expect(beforeUser).toMatch(new RegExp(`mkdir -p ${dir}\\b`));
    expect(beforeUser).toMatch(/chown -R node:node \/app\/\.data\b/);

    const gateways = [...composeServices(compose)].filter(([, block]) => /target: gateway\b/.test(block));
    expect(gateways.map(([name]) => name)).toEqual(['gateway', 'gateway-nats']);
    const volumes = gateways.map(([, block]) => new RegExp(`- ([\\w-]+):${dir}\\b`).exec(block)?.[1]);
    expect(volumes[0]).toBeDefined();
    expect(new Set(volumes)).toEqual(new Set([volumes[0]])); // one store: both share the database
    expect(compose.slice(compose.indexOf('\nvolumes:\n'))).toMatch(new RegExp(`\\n {2}${volumes[0]}:`));
  });
});

describe('Node flags: each app runs with the same ones wherever it is started', () => {
  // npm start and the tests take them from this file; the image and the ops scripts repeat them
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const flags = require(join(ROOT, 'scripts/lib/app-node-flags.cjs')) as Record<string, string[]>;
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
  const scripts = (
    JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
  ).scripts;

  it.each(['gateway', 'workflow'])('%s: the Docker image and its npm start script', (app) => {
    const stage = dockerfile.slice(dockerfile.indexOf(`AS ${app}\n`));
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(stage)![1]) as string[];
    expect(cmd).toEqual(['node', ...flags[app], `dist/bundle/${app}.js`]);
    expect(scripts[`start:${app}`]).toBe(['node', ...flags[app], `dist/bundle/${app}.js`].join(' '));
  });
});
