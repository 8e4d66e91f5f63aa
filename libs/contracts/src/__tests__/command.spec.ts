import { CommandValidationError, isValidatedCommand } from '../commands/command';
import { PingCommand } from '../commands/system.command';

describe('Command.create', () => {
  it('builds a valid command', () => {
    expect(PingCommand.create({ echo: 'hi' })).toBeInstanceOf(PingCommand);
  });

  it('refuses invalid fields before anything is sent', () => {
    expect(() => PingCommand.create({ echo: 'x'.repeat(201) })).toThrow(CommandValidationError);
  });

  it('strips unknown fields instead of forwarding them', () => {
    expect(PingCommand.create({ echo: 'x', extra: 1 } as never)).not.toHaveProperty('extra');
  });

  it('marks what it made as validated (the link tells the receiver), and nothing else', () => {
    expect(isValidatedCommand(PingCommand.create({ echo: 'hi' }))).toBe(true);
    expect(isValidatedCommand(Object.assign(new PingCommand(), { echo: 'hi' }))).toBe(false);
    expect(isValidatedCommand({ echo: 'hi' })).toBe(false);
    expect(isValidatedCommand(null)).toBe(false);
  });
});
