/**
 * Expressions are data, not code: hostile documents are refused at deploy, and if hostile content
 * reaches the runtime anyway (a tampered cache, a tampered saved state) it fails closed.
 */
import { Engine } from 'bpmn-engine';
import { compileDefinition, validateDefinition, type CompiledDefinition } from '../definition/compile';
import { EngineError } from '../errors';
import {
  createExpressionsHandler,
  createRefusingScripts,
  RecordingTimers,
  type HostContext,
} from '../runtime/adapters';
import { resumeAndApply, startInstance } from '../runtime/runtime';
import type { InstanceState } from '../runtime/types';
import { conditional, document, linear } from './bpmn';
import { Driver, roundTrip } from './helpers';

const PWNED = '__flowdesk_pwned__';
const globals = globalThis as Record<string, unknown>;

beforeEach(() => {
  delete globals[PWNED];
});

afterEach(() => {
  expect(globals[PWNED]).toBeUndefined();
});

async function refusal(xml: string): Promise<{ elementId: string; reason: string }> {
  const result = await validateDefinition(xml);
  if (result.ok) throw new Error('expected a refusal');
  return result.issues[0]!;
}

describe('refused at deploy', () => {
  it('script tasks, whatever the language', async () => {
    for (const format of ['javascript', 'js', 'groovy', 'python', '']) {
      const issue = await refusal(
        linear(
          `<scriptTask id="t" scriptFormat="${format}"><script>globalThis.${PWNED} = true; next()</script></scriptTask>`,
        ),
      );
      expect(issue).toMatchObject({ elementId: 't' });
      expect(issue.reason).toMatch(/script tasks are not allowed/);
    }
  });

  it('language="javascript" conditions', async () => {
    const issue = await refusal(
      conditional(
        `<conditionExpression xsi:type="tFormalExpression" language="javascript">globalThis.${PWNED} = true; next(null, true)</conditionExpression>`,
      ),
    );
    expect(issue).toMatchObject({ elementId: 'toA' });
    expect(issue.reason).toMatch(/condition language "javascript" is not allowed/);
  });

  it.each([
    "${environment.constructor.constructor('return process')()}",
    '${environment.constructor}',
    '${x.__proto__.polluted}',
    "${x['prototype']}",
    '= x.constructor',
  ])('condition %s', async (expression) => {
    const issue = await refusal(
      conditional(`<conditionExpression>${expression.replace(/'/g, '&apos;')}</conditionExpression>`),
    );
    expect(issue.elementId).toBe('toA');
    expect(issue.reason).toMatch(/not allowed/);
  });

  it('expressions reaching constructor in assignment attributes', async () => {
    const issue = await refusal(linear('<userTask id="t" camunda:assignee="${user.constructor.name}" />'));
    expect(issue).toMatchObject({ elementId: 't' });
    expect(issue.reason).toMatch(/'constructor' is not allowed/);
  });

  it('oversized and deeply nested expressions', async () => {
    const deep = '${' + '('.repeat(80) + '1' + ')'.repeat(80) + '}';
    expect((await refusal(linear(`<userTask id="t" camunda:assignee="${deep}" />`))).reason).toMatch(
      /nested deeper/,
    );
    const long = '${' + 'a+'.repeat(3000) + 'a}';
    expect((await refusal(linear(`<userTask id="t" camunda:candidateUsers="${long}" />`))).reason).toMatch(
      /longer than/,
    );
  });
});

describe('fails closed at run time', () => {
  async function freshDefinition(xml: string): Promise<CompiledDefinition> {
    return compileDefinition(xml); // not shared with other tests: we tamper with it
  }

  type Entity = { behaviour: Record<string, unknown> };
  const flowOf = (def: CompiledDefinition, id: string): Entity =>
    (def.sourceContext as { getSequenceFlowById(id: string): Entity }).getSequenceFlowById(id);

  it('a javascript condition smuggled into a cached definition is never run', async () => {
    const def = await freshDefinition(conditional('<conditionExpression>${go}</conditionExpression>'));
    flowOf(def, 'toA').behaviour['conditionExpression'] = {
      language: 'javascript',
      body: `globalThis.${PWNED} = true; next(null, true);`,
    };
    const d = await Driver.start(def, { variables: { go: true } });
    const err = await d.complete('t').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(EngineError);
    expect((err as EngineError).code).toBe('SCRIPT_REFUSED');
    expect((err as EngineError).elementId).toBe('toA');
  });

  it('a hostile expression smuggled into a cached definition is refused by the evaluator', async () => {
    const def = await freshDefinition(conditional('<conditionExpression>${go}</conditionExpression>'));
    flowOf(def, 'toA').behaviour['conditionExpression'] = {
      body: '${environment.constructor.constructor("globalThis.__flowdesk_pwned__ = 1")()}',
    };
    const d = await Driver.start(def, { variables: { go: true } });
    const err = (await d.complete('t').catch((e: unknown) => e)) as EngineError;
    expect(err).toBeInstanceOf(EngineError);
    expect(err.code).toBe('UNSAFE_EXPRESSION');
  });

  it('bpmn-engine with our hooks does not run a script task (no validation involved)', async () => {
    const failures: EngineError[] = [];
    const host: HostContext = {
      definition: {
        sites: new Map(),
        expressions: new Map(),
        elementsById: new Map(),
      } as unknown as CompiledDefinition,
      scopeFor: () => [{}],
      recordFailure: (e) => failures.push(e),
    };
    const source = linear(
      `<scriptTask id="t" scriptFormat="javascript"><script>globalThis.${PWNED} = true; next();</script></scriptTask>`,
    );
    const engine = new Engine({
      source,
      expressions: createExpressionsHandler(host),
      scripts: createRefusingScripts(host),
      timers: new RecordingTimers(() => new Date()),
    } as unknown as ConstructorParameters<typeof Engine>[0]);
    const errors: Error[] = [];
    engine.on('error', (e: Error) => errors.push(e));
    await engine.execute();
    await new Promise((resolve) => setImmediate(resolve));
    expect(failures.map((f) => [f.code, f.elementId])).toEqual([['SCRIPT_REFUSED', 't']]);
    expect(errors.length).toBeGreaterThan(0);
  });

  it('the stock bpmn-engine script runner would have run it (why the hook matters)', async () => {
    const source = linear(
      `<scriptTask id="t" scriptFormat="javascript"><script>environment.variables.ran = true; next();</script></scriptTask>`,
    );
    const engine = new Engine({ source });
    await engine.execute();
    expect((engine.environment.variables as Record<string, unknown>)['ran']).toBeUndefined(); // vm context is separate ...
    const state = await engine.getState();
    expect(JSON.stringify(state)).toContain('"ran":true'); // ... but the script did run
  });

  it('a BPMN source injected into a saved state is ignored', async () => {
    const def = await freshDefinition(linear('<userTask id="t" name="Safe" />'));
    const snapshot = await startInstance({ definition: def });
    // same ids, but t leads to an extra task: if the injected source were used, the instance would wait there
    const other = await compileDefinition(
      document(`<startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="t" /><userTask id="t" />
        <sequenceFlow id="f2" sourceRef="t" targetRef="evil" /><userTask id="evil" /><sequenceFlow id="f3" sourceRef="evil" targetRef="e" /><endEvent id="e" />`),
    );
    const state = roundTrip(snapshot.state) as InstanceState & {
      engine: { definitions: Array<Record<string, unknown>> };
    };
    state.engine.definitions[0]!['source'] = (other.sourceContext as { serialize(): string }).serialize();
    const next = await resumeAndApply(
      { definition: def, state },
      { type: 'complete-task', executionId: snapshot.waits[0]!.executionId },
    );
    expect(next.waits).toEqual([]);
    expect(next.status).toBe('completed');
  });

  it('variables cannot pollute prototypes through completion payloads', async () => {
    const def = await freshDefinition(linear('<userTask id="t" />'));
    const snapshot = await startInstance({ definition: def });
    const payload = JSON.parse('{"a": {"__proto__": {"isAdmin": true}}}') as Record<string, unknown>;
    const err = (await resumeAndApply(
      { definition: def, state: snapshot.state },
      { type: 'complete-task', executionId: snapshot.waits[0]!.executionId, variables: payload },
    ).catch((e: unknown) => e)) as EngineError;
    expect(err.code).toBe('INVALID_VARIABLES');
    expect(({} as Record<string, unknown>)['isAdmin']).toBeUndefined();
  });
});
