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
