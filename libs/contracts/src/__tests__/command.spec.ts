import { CommandValidationError } from '../commands/command';
import { PingCommand } from '../commands/system.command';

describe('Command.create', () => {
  it('builds a valid command', () => {
    expect(PingCommand.create({ echo: 'hi' })).toBeInstanceOf(PingCommand);
  });

  it('refuses invalid and unknown fields before anything is sent', () => {
    expect(() => PingCommand.create({ echo: 'x'.repeat(201) })).toThrow(CommandValidationError);
    expect(() => PingCommand.create({ echo: 'x', extra: 1 } as never)).toThrow(/extra/);
  });
});
