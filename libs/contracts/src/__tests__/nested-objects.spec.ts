import { Type } from 'class-transformer';
import { IsArray, IsInt, IsOptional, IsString, ValidateNested } from 'class-validator';
import { Command } from '../commands/command';

class Topic {
  @IsString() topicName!: string;
  @IsInt() lockDuration!: number;
}

class Lock extends Command {
  @IsArray() @ValidateNested({ each: true }) @Type(() => Topic) topics!: Topic[];
  @IsOptional() @ValidateNested() @Type(() => Topic) first?: Topic;
}

const topic = { topicName: 'a', lockDuration: 1 };
const refusal = (input: Record<string, unknown>) => {
  try {
    Lock.create(input as unknown as Lock);
    return 'accepted';
  } catch (error) {
    return (error as { errors?: { field: string }[] }).errors?.map((e) => e.field);
  }
};

// class-validator's ValidateNested walks into arrays at any depth whatever `each` says: these passed
describe('nested objects are objects', () => {
  it('refuses an array for a nested object, and arrays inside a list of objects, naming the element', () => {
    expect(refusal({ topics: [topic], first: [] })).toEqual(['first']);
    expect(refusal({ topics: [topic], first: [topic] })).toEqual(['first']);
    expect(refusal({ topics: [[]] })).toEqual(['topics[0]']);
    expect(refusal({ topics: [topic, [topic]] })).toEqual(['topics[1]']);
  });

  it('keeps what was right: objects, an empty list, an absent optional, and the nested rules inside', () => {
    expect(refusal({ topics: [topic], first: topic })).toBe('accepted');
    expect(refusal({ topics: [] })).toBe('accepted');
    expect(refusal({ topics: [{ topicName: 'a', lockDuration: 'x' }] })).toEqual(['topics[0].lockDuration']);
    expect(refusal({ topics: [topic], first: 'x' })).toEqual(['first']);
  });
});
