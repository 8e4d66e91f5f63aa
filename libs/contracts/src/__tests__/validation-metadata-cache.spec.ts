import { getMetadataStorage, IsInt, IsString, MaxLength, validateSync } from 'class-validator';
import { cacheValidationMetadata } from '../commands/validation-metadata-cache';

class Base {
  @IsString()
  name!: string;
}

describe('cacheValidationMetadata', () => {
  beforeAll(() => cacheValidationMetadata());

  it('looks a class up once: the second validation reuses the first lookup', () => {
    const storage = getMetadataStorage();
    const first = storage.getTargetValidationMetadatas(Base, '', false, false);
    expect(storage.getTargetValidationMetadatas(Base, '', false, false)).toBe(first);
  });

  it('still sees rules decorated after a lookup, own and inherited', () => {
    const base = Object.assign(new Base(), { name: 7 });
    expect(validateSync(base).map((e) => e.property)).toEqual(['name']);

    class Later extends Base {
      @IsInt()
      count!: number;
    }
    const later = Object.assign(new Later(), { name: 'x'.repeat(20), count: 'no' });
    expect(validateSync(later).map((e) => e.property)).toEqual(['count']);

    // a new rule on a class already looked up
    MaxLength(10)(Base.prototype, 'name');
    expect(
      validateSync(later)
        .map((e) => e.property)
        .sort(),
    ).toEqual(['count', 'name']);
  });
});
