import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

let cached: string | undefined;

/** The version in the repository's package.json, found by walking up (works from src/ and dist/). */
export function appVersion(): string {
  if (cached) return cached;
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'flowdesk') return (cached = pkg.version ?? '0.0.0');
    }
    if (dirname(dir) === dir) return (cached = '0.0.0');
  }
}
