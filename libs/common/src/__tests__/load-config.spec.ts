import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IsInt, IsString } from 'class-validator';
import { CommonEnv } from '../config/common-env';
import { ConfigError, loadConfig, loadDotEnv } from '../config/load-config';

class SampleEnv extends CommonEnv {
  @IsInt()
  PORT: number = 3000;

  @IsString()
  NAME: string = 'x';
}

describe('loadConfig', () => {
  const base = { DATABASE_URL: 'postgres://u@h/db' };

  it('applies defaults and converts numbers and booleans from strings', () => {
    const config = loadConfig('sample', SampleEnv, {
      ...base,
      PORT: '8080',
      MIGRATIONS_RUN: 'false',
      LOG_PRETTY: '1',
    });
    expect(config.PORT).toBe(8080);
    expect(config.MIGRATIONS_RUN).toBe(false);
    expect(config.LOG_PRETTY).toBe(true);
    expect(config.TZ_BUSINESS).toBe('Asia/Shanghai');
  });

  it('lists every problem at once', () => {
    let caught: unknown;
    try {
      loadConfig('sample', SampleEnv, {
        PORT: 'abc',
        LOG_LEVEL: 'loud',
        MIGRATIONS_RUN: 'maybe',
        TZ_BUSINESS: 'Nowhere/City',
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const fields = (caught as ConfigError).problems.map((p) => p.split(':')[0]);
    expect(new Set(fields)).toEqual(
      new Set(['DATABASE_URL', 'PORT', 'LOG_LEVEL', 'MIGRATIONS_RUN', 'TZ_BUSINESS']),
    );
  });

  it('drops variables it does not know (nothing else leaks into the config)', () => {
    const config = loadConfig('sample', SampleEnv, { ...base, HOME: '/root', PATH: '/bin' });
    expect(config).not.toHaveProperty('HOME');
  });
});

describe('loadDotEnv', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flowdesk-env-'));
  const file = join(dir, 'test.env');
  writeFileSync(file, 'PORT=4000\nNAME=from-file\n# comment\nLOG_LEVEL=debug\n');

  it('fills what the environment lacks and never overrides what it has', () => {
    const env: NodeJS.ProcessEnv = { ENV_FILE: file, PORT: '5000' };
    expect(loadDotEnv(env)).toBe(file);
    expect(env).toMatchObject({ PORT: '5000', NAME: 'from-file', LOG_LEVEL: 'debug' });
  });

  it('reads nothing with ENV_FILE=none, and refuses an ENV_FILE that does not exist', () => {
    const env: NodeJS.ProcessEnv = { ENV_FILE: 'none' };
    expect(loadDotEnv(env)).toBeUndefined();
    expect(env).toEqual({ ENV_FILE: 'none' });
    expect(() => loadDotEnv({ ENV_FILE: join(dir, 'missing.env') })).toThrow(/does not exist/);
  });
});
