import { ConfigError, loadConfig } from '@app/common';
import { parseListenerMap, WorkflowEnv } from '../workflow.env';

describe('BPMN_LISTENERS', () => {
  it('reads name=action pairs (bean names and class names)', () => {
    expect(
      parseListenerMap(' leaveApplyEndProcessor=ignore, leaveNotify = publish,com.acme.L=ignore,'),
    ).toEqual({
      leaveApplyEndProcessor: 'ignore',
      leaveNotify: 'publish',
      'com.acme.L': 'ignore',
    });
    expect(parseListenerMap('')).toEqual({});
  });

  it.each([
    ['leaveNotify', /"leaveNotify" is not name=action/],
    ['leaveNotify=run', /the action must be ignore or publish/],
    ['${leaveNotify}=ignore', /is not name=action/],
    ['a=ignore,a=publish', /"a" is mapped twice/],
  ])('refuses %s at boot with a clear message', (value, message) => {
    expect(parseListenerMap(value)).toMatch(message);
    let error: unknown;
    try {
      loadConfig('workflow', WorkflowEnv, {
        DATABASE_URL: 'postgres://x@127.0.0.1/x',
        BPMN_LISTENERS: value,
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(
      /BPMN_LISTENERS: .*expected e\.g\. leaveApplyEndProcessor=ignore/,
    );
  });
});
