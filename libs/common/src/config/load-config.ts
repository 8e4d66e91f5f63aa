import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { plainToInstance } from 'class-transformer';
import { config as readDotEnv } from 'dotenv';
import { validateSync } from 'class-validator';
import { flattenValidationErrors } from '@app/contracts';

export class ConfigError extends Error {
  constructor(
    readonly app: string,
    readonly problems: string[],
  ) {
    super(`${app}: invalid configuration\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/**
 * Reads the environment once into a typed, validated config object. This (and the start scripts) are
 * the only readers of `process.env`; everything else injects the config.
 */
export function loadConfig<T extends object>(
  app: string,
  EnvClass: new () => T,
  env: NodeJS.ProcessEnv = process.env,
): T {
  const raw = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const config = plainToInstance(EnvClass, raw, {
    enableImplicitConversion: true,
    exposeDefaultValues: true,
  });
  const errors = validateSync(config, { whitelist: true, forbidUnknownValues: false });
  const problems = flattenValidationErrors(errors).map((e) => `${e.field}: ${e.reason}`);
  if (problems.length > 0) throw new ConfigError(app, problems);
  return config;
}

/**
 * Reads `.env` (or the file ENV_FILE names; ENV_FILE=none skips it) into the process environment without
 * overriding what is already set: the process environment wins. Returns the file read, if any.
 */
export function loadDotEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.ENV_FILE === 'none') return undefined;
  const file = resolve(env.ENV_FILE || '.env');
  if (!existsSync(file)) {
    if (env.ENV_FILE) throw new ConfigError('env', [`ENV_FILE: ${file} does not exist`]);
    return undefined;
  }
  const result = readDotEnv({ path: file, processEnv: env, override: false, quiet: true });
  if (result.error) throw new ConfigError('env', [`${file}: ${result.error.message}`]);
  return file;
}

/** For main.ts: read .env, then print the readable list and exit non-zero instead of a stack trace. */
export function loadConfigOrExit<T extends object>(app: string, EnvClass: new () => T): T {
  try {
    loadDotEnv();
    return loadConfig(app, EnvClass);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\nSee .env.example for every variable.\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
}
