import { AppException } from '@app/common';

/** Platform field names → the seed-004 client's: a pattern on the platform name and its replacement. */
export type SeedFieldNames = [RegExp, string][];

/**
 * Runs a platform call, naming the fields of its failures (and the reasons that start with them) as the
 * seed-004 client sent them: a client that sent `processId` is never told about `definitionKey`.
 */
export async function asSeedFields<T>(names: SeedFieldNames, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof AppException) || !error.errors?.length) throw error;
    const errors = error.errors.map((e) => {
      const field = names.reduce((f, [platform, seed]) => f.replace(platform, seed), e.field);
      const reason =
        field !== e.field && e.reason.startsWith(`${e.field} `)
          ? `${field}${e.reason.slice(e.field.length)}`
          : e.reason;
      return { ...e, field, reason };
    });
    throw new AppException(error.code, error.reason, error.message, errors, error.errorId);
  }
}
