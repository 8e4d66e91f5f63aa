import { Actor } from '../actor';
import { CommandValidationError, isValidatedCommand, trustActor } from '../commands/command';
import { PingCommand } from '../commands/system.command';
import { ListDefinitionsCommand } from '../workflow/definition.contract';

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

describe('trustActor', () => {
  const actorOf = (fields: Partial<Actor> = {}): Actor =>
    Object.assign(new Actor(), { id: '7', kind: 'staff', permissions: ['*'], ...fields });

  it('validates an actor once and freezes it; commands attach it as it is', () => {
    const actor = trustActor(actorOf());
    expect(Object.isFrozen(actor)).toBe(true);
    expect(Object.isFrozen(actor.permissions)).toBe(true);
    const command = ListDefinitionsCommand.create({ actor, pageNum: 1, pageSize: 20 });
    expect(command.actor).toBe(actor);
    expect(isValidatedCommand(command)).toBe(true);
  });

  it('leaves an invalid actor untrusted, so the command carrying it is still refused', () => {
    const actor = trustActor(actorOf({ id: 'x'.repeat(65) }));
    expect(Object.isFrozen(actor)).toBe(false);
    expect(() => ListDefinitionsCommand.create({ actor, pageNum: 1, pageSize: 20 })).toThrow(
      expect.objectContaining({ errors: [expect.objectContaining({ field: 'actor.id' })] }),
    );
  });

  it('leaves an actor with an unknown field untrusted: the command strips it', () => {
    const actor = trustActor(Object.assign(actorOf(), { password: 'secret' }));
    const command = ListDefinitionsCommand.create({ actor, pageNum: 1, pageSize: 20 });
    expect(command.actor).not.toBe(actor);
    expect(command.actor).not.toHaveProperty('password');
  });

  it("still validates the command's own fields, naming them", () => {
    const actor = trustActor(actorOf());
    expect(() => ListDefinitionsCommand.create({ actor, pageNum: 0, pageSize: 20 })).toThrow(
      expect.objectContaining({ errors: [expect.objectContaining({ field: 'pageNum' })] }),
    );
    expect(() =>
      ListDefinitionsCommand.create({ actor, pageNum: 1, pageSize: 20, key: 'k'.repeat(256) }),
    ).toThrow(CommandValidationError);
  });

  it('attaches no actor to a command that has no actor field', () => {
    const actor = trustActor(actorOf());
    expect(PingCommand.create({ echo: 'hi', actor } as never)).not.toHaveProperty('actor');
  });
});
