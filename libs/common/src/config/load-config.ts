import { plainToInstance } from 'class-transformer';
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

/** For main.ts: print the readable list and exit non-zero instead of a stack trace. */
export function loadConfigOrExit<T extends object>(app: string, EnvClass: new () => T): T {
  try {
    return loadConfig(app, EnvClass);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\nSee .env.example for every variable.\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
}
