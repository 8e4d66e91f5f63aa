import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

let root: { dir: string; version: string } | undefined;

function findRoot(): { dir: string; version: string } {
  if (root) return root;
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'flowdesk') return (root = { dir, version: pkg.version ?? '0.0.0' });
    }
    if (dirname(dir) === dir) return (root = { dir: process.cwd(), version: '0.0.0' });
  }
}

/** The version in the repository's package.json, found by walking up (works from src/ and dist/). */
export function appVersion(): string {
  return findRoot().version;
}

/** The repository folder (the one with Flowdesk's package.json), from src/ or dist/ alike. */
export function repoRoot(): string {
  return findRoot().dir;
}
