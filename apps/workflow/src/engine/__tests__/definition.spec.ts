import { compileDefinition, validateDefinition } from '../definition/compile';
import { ISOInterval } from '@0dep/piso';
import {
  addDuration,
  firstDueDate,
  parseCycle,
  parseDateTime,
  parseDuration,
  pendingCycle,
  pendingCycleDue,
} from '../definition/iso8601';
import { parseXml, serializeXml, XmlSyntaxError } from '../definition/xml';
import type { DefinitionIssue } from '../errors';
import { conditional, document, linear } from './bpmn';
import { fixture } from './helpers';

async function issuesOf(xml: string): Promise<DefinitionIssue[]> {
  const result = await validateDefinition(xml);
  if (result.ok) throw new Error('expected the document to be refused');
  return [...result.issues];
}

describe('normalised model of vendor attributes', () => {
  it.each(['camunda', 'flowable', 'activiti'])(
    'reads %s: user task assignment, form and due date',
    async (ns) => {
      const def = await compileDefinition(
        linear(
          `<userTask id="t" name="Review" ${ns}:assignee="\${initiator}" ${ns}:candidateUsers="u1, \${others}" ${ns}:candidateGroups="g1,g2" ${ns}:formKey="form:review" ${ns}:dueDate="P2D" ${ns}:priority="60" />`,
        ),
      );
      expect(def.model.vendors).toEqual([ns]);
      expect(def.elementsById.get('t')!.userTask).toEqual({
        assignee: '${initiator}',
        candidateUsers: ['u1', '${others}'],
        candidateGroups: ['g1', 'g2'],
        formKey: 'form:review',
        dueDate: 'P2D',
        priority: '60',
      });
    },
  );

  it('reads multi-instance from loopDataInputRef / inputDataItem and from vendor attributes', async () => {
    const standard = await compileDefinition(
      linear(`<userTask id="t" camunda:assignee="\${assignee}">
        <multiInstanceLoopCharacteristics isSequential="true">
          <loopDataInputRef>assigneeList</loopDataInputRef>
          <inputDataItem name="assignee" />
          <completionCondition>\${nrOfCompletedInstances == 2}</completionCondition>
        </multiInstanceLoopCharacteristics></userTask>`),
    );
    expect(standard.elementsById.get('t')!.multiInstance).toEqual({
      isSequential: true,
      collection: '${assigneeList}',
      collectionVariable: 'assigneeList',
      elementVariable: 'assignee',
      completionCondition: '${nrOfCompletedInstances == 2}',
    });
    const cardinality = await compileDefinition(
      linear(
        `<userTask id="t"><multiInstanceLoopCharacteristics><loopCardinality>\${3}</loopCardinality></multiInstanceLoopCharacteristics></userTask>`,
      ),
    );
    expect(cardinality.elementsById.get('t')!.multiInstance).toEqual({
      isSequential: false,
      loopCardinality: '${3}',
    });
  });

  it('reads call activity mappings, binding and business key', async () => {
    const def = await compileDefinition(
      linear(`<callActivity id="t" calledElement="child" camunda:calledElementBinding="version" camunda:calledElementVersion="3">
        <extensionElements>
          <camunda:in variables="all" />
          <camunda:in businessKey="#{execution.processBusinessKey}" />
          <camunda:in sourceExpression="\${amount * 2}" target="doubled" />
          <camunda:out source="result" target="childResult" />
          <camunda:out variables="all" />
        </extensionElements></callActivity>`),
    );
    expect(def.elementsById.get('t')!.callActivity).toEqual({
      calledElement: 'child',
      binding: 'version',
      version: '3',
      inputs: [{ all: true }, { sourceExpression: '${amount * 2}', target: 'doubled' }],
      outputs: [{ source: 'result', target: 'childResult' }, { all: true }],
      businessKey: '#{execution.processBusinessKey}',
      inheritVariables: false,
    });
  });

  it('reads standard humanPerformer / potentialOwner assignment', async () => {
    const def = await compileDefinition(
      linear(
        `<userTask id="t"><potentialOwner><resourceAssignmentExpression><formalExpression>user(kermit), group(management)</formalExpression></resourceAssignmentExpression></potentialOwner></userTask>`,
      ),
    );
    expect(def.elementsById.get('t')!.userTask).toMatchObject({
      candidateUsers: ['kermit'],
      candidateGroups: ['management'],
    });
  });

  it('resolves vendor prefixes by namespace, not by the prefix written', async () => {
    const xml = linear('<userTask id="t" cam:assignee="kermit" />').replace(
      'id="defs"',
      'xmlns:cam="http://camunda.org/schema/1.0/bpmn" id="defs"',
    );
    const def = await compileDefinition(xml);
    expect(def.elementsById.get('t')!.userTask!.assignee).toBe('kermit');
  });

  it('maps allow-listed host handlers to external work instead of refusing', async () => {
    const xml = linear('<serviceTask id="t" camunda:delegateExpression="${mailSender}" />');
    expect((await validateDefinition(xml)).ok).toBe(false);
    const def = await compileDefinition(xml, { handlers: { '${mailSender}': 'mail.send' } });
    expect(def.elementsById.get('t')!.externalTopic).toBe('mail.send');
  });
});

describe('listeners by name (the operator maps them to ignore or publish)', () => {
  const listeners = {
    leaveNotify: 'publish',
    leaveApplyEndProcessor: 'publish',
    leaveAudit: 'ignore',
    'com.acme.AuditListener': 'ignore',
  } as const;
  const task = (ext: string) =>
    linear(`<userTask id="t"><extensionElements>${ext}</extensionElements></userTask>`);

  it('refuses an unmapped named listener, naming the element and the name to map', async () => {
    const [issue] = await issuesOf(
      task('<flowable:executionListener event="end" delegateExpression="${leaveArchive}" />'),
    );
    expect(issue).toMatchObject({ elementId: 't' });
    expect(issue!.reason).toMatch(/delegateExpression="\$\{leaveArchive\}".*map the listener "leaveArchive"/);
  });

  it('drops ignored listeners and reports published ones with their event', async () => {
    const def = await compileDefinition(
      task(
        '<flowable:taskListener event="create" delegateExpression="${leaveNotify}" />' +
          '<flowable:executionListener event="end" delegateExpression="#{leaveAudit}" />' +
          '<camunda:executionListener event="start" class="com.acme.AuditListener" />',
      ),
      { listeners },
    );
    expect(def.elementsById.get('t')!.listeners).toEqual([
      { kind: 'task', event: 'create', handler: 'leaveNotify', publish: true },
    ]);
  });

  it('keeps process-level listeners (start / end of the instance)', async () => {
    const xml = linear('<userTask id="t" />').replace(
      '<process id="p" isExecutable="true">',
      '<process id="p" isExecutable="true"><extensionElements><activiti:executionListener event="end" delegateExpression="${leaveApplyEndProcessor}" /></extensionElements>',
    );
    const def = await compileDefinition(xml, { listeners });
    expect(def.model.process.listeners).toEqual([
      { kind: 'execution', event: 'end', handler: 'leaveApplyEndProcessor', publish: true },
    ]);
  });

  it.each([
    [
      'an event it would never publish',
      '<flowable:taskListener event="assignment" delegateExpression="${leaveNotify}" />',
      /event "create" or "complete" or "delete", not "assignment"/,
    ],
    [
      'no event',
      '<flowable:executionListener delegateExpression="${leaveNotify}" />',
      /needs event "start" or "end"/,
    ],
    [
      'a method expression',
      '<flowable:executionListener event="end" expression="${leaveNotify.run(execution)}" />',
      /binds host code/,
    ],
  ])('refuses a published listener with %s', async (_what, ext, message) => {
    const issues = await validateDefinition(task(ext), { listeners });
    expect(issues.ok).toBe(false);
    if (!issues.ok) expect(issues.issues[0]!.reason).toMatch(message);
  });
});

describe('tolerated quirks of real files', () => {
  it('treats a missing isExecutable as executable', async () => {
    const def = await compileDefinition(linear('<userTask id="t" />', { processAttrs: '' }));
    expect(def.engineXml).toContain('isExecutable="true"');
  });

  it('assigns deterministic ids to sequence flows without one', async () => {
    const xml = document(`<startEvent id="s" /><sequenceFlow sourceRef="s" targetRef="t" /><userTask id="t" />
      <sequenceFlow sourceRef="t" targetRef="e" /><sequenceFlow sourceRef="t" targetRef="e" /><endEvent id="e" />`);
    const a = await compileDefinition(xml);
    const b = await compileDefinition(xml);
    expect(a.model.process.flows.map((f) => f.id)).toEqual(['Flow_s_t', 'Flow_t_e', 'Flow_t_e_2']);
    expect(a.model.process.flows.every((f) => f.generatedId)).toBe(true);
    expect(b.engineXml).toBe(a.engineXml);
  });

  it('reads attributes written with whitespace around =', async () => {
    const def = await compileDefinition(linear('<userTask id = "t" camunda:assignee =\n "kermit" />'));
    expect(def.elementsById.get('t')!.userTask!.assignee).toBe('kermit');
  });

  it('keeps the definition id stable and strips diagram, documentation and vendor data for the engine', async () => {
    const def = await compileDefinition(fixture('corpus/rvp-leave3-parallel.bpmn'));
    expect(def.model.definitionsId).toBe('definitions_leave3');
    expect(def.engineXml).not.toContain('BPMNDiagram');
    expect(def.engineXml).not.toContain('flowable:');
  });
});

// A model written for another engine runs without what it says: a Camunda 8 task without its assignee.
describe("another engine's execution data is refused, naming the element", () => {
  const withNamespace = (xml: string, prefix: string, uri: string) =>
    xml.replace('<definitions ', `<definitions xmlns:${prefix}="${uri}" `);

  it.each([
    [
      'a Camunda 8 (zeebe) extension element',
      '<userTask id="t"><extensionElements><zeebe:assignmentDefinition assignee="demo" /></extensionElements></userTask>',
      'zeebe',
      'http://camunda.org/schema/zeebe/1.0',
      /zeebe:assignmentDefinition/,
    ],
    [
      "a camunda: attribute under a URI that is not Camunda 7's",
      '<userTask id="t" old:assignee="demo" />',
      'old',
      'http://camunda.org/bpmn',
      /old:assignee/,
    ],
  ])('%s', async (_case, node, prefix, uri, named) => {
    const issues = await issuesOf(withNamespace(linear(node), prefix, uri));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ elementId: 't', reason: expect.stringMatching(named) });
    expect(issues[0]!.reason).toContain(uri);
  });

  it('accepts modeler bookkeeping and colours', async () => {
    const xml = withNamespace(
      withNamespace(
        linear('<userTask id="t" bioc:stroke="#000" camunda:assignee="demo" />'),
        'bioc',
        'http://bpmn.io/schema/bpmn/biocolor/1.0',
      ),
      'modeler',
      'http://camunda.org/schema/modeler/1.0',
    ).replace('<definitions ', '<definitions modeler:executionPlatform="Camunda Platform" ');
    expect((await validateDefinition(xml)).ok).toBe(true);
  });
});

describe('a refusal names each problem once', () => {
  // Camunda's TransactionSubProcessTest.testCancelEndConcurrent and BoundaryConditionalEventTest: the
  // transaction and the cancel and conditional events are named, without follow-on reasons (a boundary
  // event "without an event definition", a host "not an activity of this process")
  it('a cancel boundary event on a transaction, a conditional boundary event', async () => {
    const xml = document(`<startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="tx" />
      <transaction id="tx"><startEvent id="ts" /><sequenceFlow id="g1" sourceRef="ts" targetRef="te" /><endEvent id="te" /></transaction>
      <boundaryEvent id="cancelled" attachedToRef="tx"><cancelEventDefinition /></boundaryEvent>
      <sequenceFlow id="f2" sourceRef="tx" targetRef="t" /><userTask id="t" />
      <boundaryEvent id="when" attachedToRef="t"><conditionalEventDefinition><condition>\${true}</condition></conditionalEventDefinition></boundaryEvent>
      <sequenceFlow id="f3" sourceRef="t" targetRef="e" /><endEvent id="e" />
      <sequenceFlow id="f4" sourceRef="cancelled" targetRef="e" /><sequenceFlow id="f5" sourceRef="when" targetRef="e" />`);
    const issues = await compileDefinition(xml).then(
      () => [],
      (err: { issues: Array<{ elementId: string; reason: string }> }) => err.issues,
    );
    expect(issues.map((i) => i.elementId).sort()).toEqual(['cancelled', 'tx', 'when']);
  });
});

describe('refused at deploy, naming the element', () => {
  it.each<[string, string, string, RegExp]>([
    [
      'script task',
      linear('<scriptTask id="t" scriptFormat="javascript"><script>1</script></scriptTask>'),
      't',
      /script task/,
    ],
    [
      'business rule task',
      linear('<businessRuleTask id="t" camunda:decisionRef="d" />'),
      't',
      /business rule/,
    ],
    ['complex gateway', linear('<complexGateway id="t" />'), 't', /complex gateway/],
    // Flowable's SignalEventTest.testSignalWithOutParameters: the thrown signal carries mapped variables
    [
      'signal payload out-mapping on a throw event',
      linear(`<intermediateThrowEvent id="t"><extensionElements><flowable:out source="a" target="b" /></extensionElements>
        <signalEventDefinition signalRef="S" /></intermediateThrowEvent>`).replace(
        '<process',
        '<signal id="S" name="s" /><process',
      ),
      't',
      /event payload mapping/,
    ],
    [
      'signal payload in-mapping on a catch event',
      linear(`<intermediateCatchEvent id="t"><extensionElements><flowable:in source="a" target="b" /></extensionElements>
        <signalEventDefinition signalRef="S" /></intermediateCatchEvent>`).replace(
        '<process',
        '<signal id="S" name="s" /><process',
      ),
      't',
      /event payload mapping/,
    ],
    // Flowable's flowable:scope="processInstance": the signal stays inside the instance that throws it
    [
      'a signal scoped to the process instance',
      linear(
        `<intermediateCatchEvent id="t"><signalEventDefinition signalRef="S" /></intermediateCatchEvent>`,
      ).replace('<process', '<signal id="S" name="s" flowable:scope="processInstance" /><process'),
      't',
      /flowable:scope/,
    ],
    // Camunda: variables passed with a thrown signal, inside its event definition
    [
      'camunda:in inside a signal event definition',
      linear(`<intermediateThrowEvent id="t"><signalEventDefinition signalRef="S">
        <extensionElements><camunda:in variables="all" /></extensionElements></signalEventDefinition></intermediateThrowEvent>`).replace(
        '<process',
        '<signal id="S" name="s" /><process',
      ),
      't',
      /event payload mapping/,
    ],
    // Flowable's MultiInstanceVariableAggregationTest: the iterations' variables gathered into one list
    [
      'multi-instance variable aggregation',
      linear(`<userTask id="t"><multiInstanceLoopCharacteristics isSequential="false">
        <extensionElements><flowable:variableAggregation target="reviews"><variable source="approved" /></flowable:variableAggregation></extensionElements>
        <loopCardinality>3</loopCardinality></multiInstanceLoopCharacteristics></userTask>`),
      't',
      /variableAggregation/,
    ],
    // Flowable's testParallelUserTasksCustomExtensionsCollection: a collection handler class (host code)
    [
      'multi-instance collection handler',
      linear(`<userTask id="t"><multiInstanceLoopCharacteristics flowable:collection="\${list}" flowable:elementVariable="p">
        <extensionElements><flowable:collection flowable:class="com.acme.Handler" /></extensionElements>
        </multiInstanceLoopCharacteristics></userTask>`),
      't',
      /flowable:collection/,
    ],
    [
      'Java class service task',
      linear('<serviceTask id="t" camunda:class="com.acme.Foo" />'),
      't',
      /class="com\.acme\.Foo"/,
    ],
    [
      'delegateExpression service task',
      linear('<serviceTask id="t" flowable:delegateExpression="${bean}" />'),
      't',
      /delegateExpression/,
    ],
    [
      'expression service task',
      linear('<serviceTask id="t" activiti:expression="${bean.run()}" />'),
      't',
      /expression=/,
    ],
    ['service task without implementation', linear('<serviceTask id="t" />'), 't', /no implementation/],
    ['flowable http task', linear('<serviceTask id="t" flowable:type="http" />'), 't', /type "http"/],
    [
      'execution listener class',
      linear(
        '<userTask id="t"><extensionElements><camunda:executionListener class="com.acme.L" event="start" /></extensionElements></userTask>',
      ),
      't',
      /executionListener class="com\.acme\.L"/,
    ],
    [
      'task listener delegateExpression',
      linear(
        '<userTask id="t"><extensionElements><flowable:taskListener event="create" delegateExpression="${l}" /></extensionElements></userTask>',
      ),
      't',
      /taskListener delegateExpression/,
    ],
    [
      'listener script',
      linear(
        '<userTask id="t"><extensionElements><camunda:executionListener event="end"><camunda:script scriptFormat="groovy">x</camunda:script></camunda:executionListener></extensionElements></userTask>',
      ),
      't',
      /script/,
    ],
    [
      'input/output mapping',
      linear(
        '<userTask id="t"><extensionElements><camunda:inputOutput><camunda:inputParameter name="a">1</camunda:inputParameter></camunda:inputOutput></extensionElements></userTask>',
      ),
      't',
      /input\/output/,
    ],
    [
      'juel-labelled condition',
      conditional('<conditionExpression language="juel">${a}</conditionExpression>'),
      'toA',
      /language "juel" is not allowed/,
    ],
    [
      'scripted timer',
      linear(
        '<intermediateCatchEvent id="t"><timerEventDefinition><timeDuration language="groovy">x</timeDuration></timerEventDefinition></intermediateCatchEvent>',
      ),
      't',
      /timeDuration language "groovy"/,
    ],
    [
      'scripted completion condition',
      linear(
        '<userTask id="t"><multiInstanceLoopCharacteristics><loopCardinality>2</loopCardinality><completionCondition language="javascript">true</completionCondition></multiInstanceLoopCharacteristics></userTask>',
      ),
      't',
      /completionCondition language/,
    ],
    [
      'groovy condition',
      conditional(
        '<conditionExpression xsi:type="tFormalExpression" language="groovy">x &gt; 1</conditionExpression>',
      ),
      'toA',
      /language "groovy"/,
    ],
    [
      'unsafe condition',
      conditional('<conditionExpression>${x.constructor}</conditionExpression>'),
      'toA',
      /'constructor' is not allowed/,
    ],
    [
      'method call in assignee',
      linear('<userTask id="t" camunda:assignee="${userService.find()}" />'),
      't',
      /calls are not allowed/,
    ],
    ['broken expression', linear('<userTask id="t" camunda:assignee="${a &amp;&amp;}" />'), 't', /refused/],
    [
      'cron timer Quartz reads but this engine does not (W)',
      linear(
        '<intermediateCatchEvent id="t"><timerEventDefinition><timeCycle>0 0 12 15W * ?</timeCycle></timerEventDefinition></intermediateCatchEvent>',
      ),
      't',
      /'0 0 12 15W \* \?'/,
    ],
    [
      'bad duration',
      linear(
        '<intermediateCatchEvent id="t"><timerEventDefinition><timeDuration>5 minutes</timeDuration></timerEventDefinition></intermediateCatchEvent>',
      ),
      't',
      /ISO 8601/,
    ],
    [
      'conditional event',
      linear(
        '<intermediateCatchEvent id="t"><conditionalEventDefinition><condition>${a}</condition></conditionalEventDefinition></intermediateCatchEvent>',
      ),
      't',
      /conditional events/,
    ],
    ['missing message', linear('<receiveTask id="t" messageRef="nope" />'), 't', /messageRef 'nope'/],
    [
      'multi-instance without collection',
      linear('<userTask id="t"><multiInstanceLoopCharacteristics /></userTask>'),
      't',
      /loopCardinality or a collection/,
    ],
    ['call activity without calledElement', linear('<callActivity id="t" />'), 't', /calledElement/],
    [
      'standard loop',
      linear('<userTask id="t"><standardLoopCharacteristics /></userTask>'),
      't',
      /standard loops/,
    ],
    [
      'flow to nowhere',
      linear('<userTask id="t" />', {
        extra: '<sequenceFlow id="dangling" sourceRef="t" targetRef="ghost" />',
      }),
      'dangling',
      /targetRef 'ghost'/,
    ],
    ['duplicate id', linear('<userTask id="t" />', { extra: '<userTask id="t" />' }), 't', /duplicate id/],
    [
      'error start event at process level',
      document('<startEvent id="es"><errorEventDefinition errorRef="e" /></startEvent>', {
        rootExtra: '<error id="e" errorCode="E" />',
      }),
      'es',
      /error is not supported on a process start event/,
    ],
  ])('%s', async (_, xml, elementId, reason) => {
    const issues = await issuesOf(xml);
    const issue = issues.find((i) => i.elementId === elementId);
    expect(issue).toBeDefined();
    expect(issue!.reason).toMatch(reason);
  });

  it.each<[string, string, RegExp]>([
    ['malformed XML', '<definitions><process></definitions>', /malformed XML/],
    ['not BPMN', '<?xml version="1.0"?><html/>', /BPMN 2.0 <definitions>/],
    ['no process', document('').replace(/<process[\s\S]*<\/process>/, ''), /no process/],
    ['no start event', document('<userTask id="t" />'), /no start event/],
    [
      'no executable process',
      linear('<userTask id="t" />', { processAttrs: 'isExecutable="false"' }),
      /no executable process/,
    ],
    ['empty document', '   ', /empty/],
  ])('refuses %s', async (_, xml, reason) => {
    const issues = await issuesOf(xml);
    expect(issues[0]!.reason).toMatch(reason);
  });

  it('refuses two executable processes, naming them', async () => {
    const xml = linear('<userTask id="t" />').replace(
      '</definitions>',
      '<process id="p2"><startEvent id="s2" /></process></definitions>',
    );
    const issues = await issuesOf(xml);
    expect(issues[0]!.reason).toMatch(/p, p2/);
  });

  it('reports every problem, not just the first', async () => {
    const xml = document(`<startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="a" />
      <scriptTask id="a" scriptFormat="groovy" /><sequenceFlow id="f2" sourceRef="a" targetRef="b" />
      <serviceTask id="b" camunda:class="X" />`);
    expect((await issuesOf(xml)).map((i) => i.elementId)).toEqual(['a', 'b']);
  });
});

// Camunda's BpmnParse: a link throw redirects its incoming flow to the link catch of that name in
// the same scope (none there: an invalid destination; two: "Multiple Intermediate Catch Events with
// the same link event name"); bpmn-engine ended the path silently, went on across scopes or at both
describe('link events are matched by name within their own (sub-)process', () => {
  const link = (name: string) => `<linkEventDefinition name="${name}" />`;
  const thrower = (name: string) =>
    `<startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="lt" /><intermediateThrowEvent id="lt">${link(name)}</intermediateThrowEvent>`;
  const catcher = (id: string, name: string) =>
    `<intermediateCatchEvent id="${id}">${link(name)}</intermediateCatchEvent><sequenceFlow id="${id}f" sourceRef="${id}" targetRef="${id}u" /><userTask id="${id}u" />`;

  it.each<[string, string, string[], RegExp]>([
    [
      'a throw without its catch',
      document(`${thrower('A')}${catcher('lc', 'B')}`),
      ['lt'],
      /no link catch event named 'A'/,
    ],
    [
      'a throw whose catch is in the enclosing process',
      document(`<startEvent id="s0" /><sequenceFlow id="f0" sourceRef="s0" targetRef="sp" />
        <subProcess id="sp">${thrower('A')}</subProcess>${catcher('lc', 'A')}`),
      ['lt'],
      /no link catch event named 'A' in the same \(sub-\)process/,
    ],
    [
      'two catches of one name',
      document(`${thrower('A')}${catcher('lc', 'A')}${catcher('lc2', 'A')}`),
      ['lc2'],
      /several link catch events .*<lc>, <lc2>/,
    ],
  ])('refuses %s, naming the event', async (_, xml, ids, reason) => {
    const issues = await issuesOf(xml);
    expect(issues.map((i) => i.elementId)).toEqual(ids);
    expect(issues[0]!.reason).toMatch(reason);
  });

  it('a version stored before these refusals still compiles to run', async () => {
    const xml = document(`${thrower('A')}${catcher('lc', 'B')}`);
    await expect(compileDefinition(xml, { stored: true })).resolves.toBeDefined();
  });

  it('deploys a throw and its catch in one scope, also the same name in another scope', async () => {
    const xml =
      document(`${thrower('A')}${catcher('lc', 'A')}<sequenceFlow id="f9" sourceRef="lcu" targetRef="sp" />
      <subProcess id="sp"><startEvent id="ss" /><sequenceFlow id="g1" sourceRef="ss" targetRef="lt2" />
        <intermediateThrowEvent id="lt2">${link('A')}</intermediateThrowEvent>${catcher('lc2', 'A')}</subProcess>`);
    expect((await validateDefinition(xml)).ok).toBe(true);
  });
});

// Camunda and Flowable start an instance at its start event only: an element no flow leads to never
// runs there; bpmn-engine started it beside the start event (an extra task, an instance that did not end)
describe('an element no sequence flow leads to', () => {
  const main =
    '<startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="t" /><userTask id="t" /><sequenceFlow id="f2" sourceRef="t" targetRef="e" /><endEvent id="e" />';
  it.each([
    ['a user task', '<userTask id="orphan" />'],
    [
      'a timer catch',
      '<intermediateCatchEvent id="orphan"><timerEventDefinition><timeDuration>PT1H</timeDuration></timerEventDefinition></intermediateCatchEvent>',
    ],
    ['a terminate end event', '<endEvent id="orphan"><terminateEventDefinition /></endEvent>'],
    ['a sub-process', '<subProcess id="orphan"><startEvent id="os" /></subProcess>'],
  ])('%s is refused, naming it', async (_, extra) => {
    const issues = await issuesOf(document(main + extra));
    expect(issues.map((i) => [i.elementId, i.reason])).toEqual([
      ['orphan', expect.stringMatching(/no sequence flow leads here/)],
    ]);
  });

  it('start and boundary events, event sub-processes, link catches and a plain end event need none', async () => {
    const xml = document(`${main}<endEvent id="loose" />
      <boundaryEvent id="b" attachedToRef="t"><timerEventDefinition><timeDuration>PT1H</timeDuration></timerEventDefinition></boundaryEvent>
      <sequenceFlow id="f3" sourceRef="b" targetRef="e" />
      <subProcess id="esp" triggeredByEvent="true"><startEvent id="es"><timerEventDefinition><timeDuration>PT2H</timeDuration></timerEventDefinition></startEvent>
        <sequenceFlow id="g1" sourceRef="es" targetRef="ee" /><endEvent id="ee" /></subProcess>`);
    expect(await validateDefinition(xml)).toMatchObject({ ok: true });
  });
});

// Camunda resolves `${…}` in a message or signal name when the subscription is made; here names are
// fixed, and the instance would wait for the literal text
describe('message and signal names', () => {
  it.each([
    ['message', '<message id="m" name="paid-${orderId}" />', '<messageEventDefinition messageRef="m" />'],
    ['signal', '<signal id="g" name="alarm-#{site}" />', '<signalEventDefinition signalRef="g" />'],
  ])('a %s name with an expression is refused, naming the event that uses it', async (kind, root, def) => {
    const xml = document(
      `<startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="c" />
       <intermediateCatchEvent id="c">${def}</intermediateCatchEvent><sequenceFlow id="f2" sourceRef="c" targetRef="e" /><endEvent id="e" />`,
      { rootExtra: root },
    );
    const issues = await issuesOf(xml);
    expect(issues.map((i) => i.elementId)).toEqual(['c']);
    expect(issues[0]!.reason).toMatch(new RegExp(`${kind} name .* is an expression`));
  });
});

describe('XML reader', () => {
  it('refuses DTDs, so entity expansion and external entities are impossible', () => {
    const laughs =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><definitions>&lol2;</definitions>';
    expect(() => parseXml(laughs)).toThrow(/DTD/);
    const xxe = '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><d>&x;</d>';
    expect(() => parseXml(xxe)).toThrow(XmlSyntaxError);
    expect(() => parseXml('<d>&x;</d>')).toThrow(/undefined entity/);
  });

  it('refuses excessive nesting and size', async () => {
    expect(() => parseXml('<a>'.repeat(300) + '</a>'.repeat(300))).toThrow(/deeper than 256/);
    const result = await validateDefinition(linear('<userTask id="t" />'), { maxLength: 100 });
    expect(result.ok).toBe(false);
  });

  it('refuses an element with too many attributes, and finds a duplicate among many in linear time', () => {
    const attrs = (n: number) => Array.from({ length: n }, (_, i) => ` a${i}="1"`).join('');
    expect(() => parseXml(`<a${attrs(257)}/>`)).toThrow(/more than 256 attributes in <a>/);
    expect(() => parseXml(`<a${attrs(256)}/>`)).not.toThrow();
    const many = Array.from({ length: 4000 }, () => `<b${attrs(255)} a0="2"/>`).join('');
    const began = performance.now();
    expect(() => parseXml(`<a>${many}</a>`)).toThrow(/duplicate attribute a0 in <b>/);
    expect(performance.now() - began).toBeLessThan(1000);
  });

  it('decodes entities and CDATA and writes back equivalent XML', () => {
    const root = parseXml('<a x="1 &lt; 2 &amp; &#x41;&#66;"><![CDATA[${a < b}]]><b>t&gt;</b><!-- c --></a>');
    expect(root.attributes[0]!.value).toBe('1 < 2 & AB');
    const again = parseXml(serializeXml(root));
    expect(again.attributes[0]!.value).toBe('1 < 2 & AB');
    expect(again.children.map((c) => (c.type === 'element' ? c.name : c.value))).toEqual(['${a < b}', 'b']);
  });

  it('refuses undeclared prefixes and mismatched tags', () => {
    expect(() => parseXml('<x:a/>')).toThrow(/not declared/);
    expect(() => parseXml('<a></b>')).toThrow(/does not match/);
    expect(() => parseXml('<a b="1" b="2"/>')).toThrow(/duplicate attribute/);
  });
});

describe('ISO 8601', () => {
  it('parses durations, dates and cycles', () => {
    const from = new Date('2024-01-31T00:00:00Z');
    expect(addDuration(from, parseDuration('PT5M')).toISOString()).toBe('2024-01-31T00:05:00.000Z');
    expect(addDuration(from, parseDuration('P1M')).toISOString()).toBe('2024-03-02T00:00:00.000Z');
    expect(addDuration(from, parseDuration('P1W2DT3H')).toISOString()).toBe('2024-02-09T03:00:00.000Z');
    expect(addDuration(from, parseDuration('PT1.5S')).toISOString()).toBe('2024-01-31T00:00:01.500Z');
    expect(parseDateTime('2024-05-01T10:00:00+08:00').toISOString()).toBe('2024-05-01T02:00:00.000Z');
    expect(parseDateTime('2024-05-01 10:00:00', 'Asia/Shanghai').toISOString()).toBe(
      '2024-05-01T02:00:00.000Z',
    );
    expect(parseCycle('R3/PT10M')).toMatchObject({ repeat: 3 });
    expect(parseCycle('R/PT1H').repeat).toBe(-1);
    expect(parseCycle('R2/2024-01-01T00:00:00Z/P1D').start?.toISOString()).toBe('2024-01-01T00:00:00.000Z');
    expect(() => parseDuration('P')).toThrow();
    expect(() => parseDuration('PT')).toThrow();
    expect(() => parseDateTime('2024-13-01')).toThrow();
    expect(() => parseCycle('0 0 * * * ?')).toThrow(/cron/);
  });

  // Camunda's DurationHelper reads a start-dated cycle from the current time: its first slot ahead, the
  // start itself if that is ahead; every slot past → once, at once
  it.each([
    [
      'a start in the past: its next slot',
      'R3/2026-12-04T00:00:00Z/PT1H',
      '2026-12-04T01:30:00Z',
      '2026-12-04T02:00:00.000Z',
      1,
    ],
    [
      'a start ahead: the start',
      'R3/2026-12-04T00:00:00Z/PT1H',
      '2026-12-03T20:00:00Z',
      '2026-12-04T00:00:00.000Z',
      3,
    ],
    [
      'on a slot: the one after',
      'R3/2026-12-04T00:00:00Z/PT1H',
      '2026-12-04T01:00:00Z',
      '2026-12-04T02:00:00.000Z',
      1,
    ],
    ['unbounded', 'R/2026-12-04T00:00:00Z/PT1H', '2026-12-05T02:30:00Z', '2026-12-05T03:00:00.000Z', -1],
    [
      'every slot past: at once',
      'R3/2026-12-04T00:00:00Z/PT1H',
      '2026-12-05T02:30:00Z',
      '2026-12-05T02:30:01.000Z',
      1,
    ],
  ])('a start-dated timeCycle, %s; bpmn-elements gets a value it fires then', (_, value, at, due, left) => {
    const now = new Date(at);
    expect(firstDueDate('timeCycle', value, now)).toEqual({ dueAt: new Date(due), repeat: left });
    // what the engine is handed (pendingCycle), as bpmn-elements reads it and as the job row's fallback does
    const handed = pendingCycle(value, now);
    expect(new ISOInterval(handed).parse().getExpireAt(now, now).toISOString()).toBe(due);
    expect(pendingCycleDue(handed, now)?.toISOString()).toBe(due);
  });
});
