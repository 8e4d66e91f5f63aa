/* eslint-disable @typescript-eslint/no-require-imports */
// Every e2e file imports this library for startStack and never uses the contracts, the entities or
// TypeORM; loading them costs about 2 s of CPU per test file in jest's module sandbox. The medium-test
// helpers load them on first use instead (medium tests have them loaded already). Relative paths, as the
// build writes the aliases: they hold from libs/ under jest and from dist/libs/ alike.

/** The message contract (commands, patterns, Actor). */
export const contracts = (): typeof import('@app/contracts') => require('../../contracts/src');

/** Entities and data sources. */
export const database = (): typeof import('@app/database') => require('../../database/src');
