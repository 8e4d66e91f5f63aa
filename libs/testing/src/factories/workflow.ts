import type {
  Actor,
  CreateWorkOrderCommand,
  WorkflowCommandOf,
  WorkflowPattern,
  WorkflowReplyOf,
} from '@app/contracts';
import { contracts } from '../lazy-libs';
import { makeAdmin } from './actor';
import { sequentialProcessXml, type StepSpec } from './bpmn';

/** Sends one command of the contract and answers its reply: the link, or the app's controllers in-process. */
export type WorkflowCaller = <P extends WorkflowPattern>(
  pattern: P,
  command: WorkflowCommandOf<P>,
) => Promise<WorkflowReplyOf<P>>;

let seq = 0;

/** Definitions, instances and work orders made through the message contract, as the gateway would. */
export class WorkflowFactory {
  readonly admin = makeAdmin({ id: '1' });

  constructor(private readonly call: WorkflowCaller) {}

  /** Deploys a straight process of `steps` (default: one task for candidate group `${pool}`). */
  async definition(
    steps: StepSpec[] = [{ id: 'approve', candidateGroups: '${pool}' }],
    key = `p${(seq += 1)}_${Date.now().toString(36)}`,
  ): Promise<WorkflowReplyOf<WorkflowPattern.DefinitionDeploy>> {
    const { WorkflowPattern, DeployDefinitionCommand } = contracts();
    return this.call(
      WorkflowPattern.DefinitionDeploy,
      DeployDefinitionCommand.create({ xml: sequentialProcessXml(key, steps), actor: this.admin }),
    );
  }

  async instance(
    definitionKey: string,
    starter: Actor,
    variables: Record<string, unknown> = {},
  ): Promise<WorkflowReplyOf<WorkflowPattern.InstanceStart>> {
    const { WorkflowPattern, StartInstanceCommand } = contracts();
    return this.call(
      WorkflowPattern.InstanceStart,
      StartInstanceCommand.create({ definitionKey, variables, actor: starter }),
    );
  }

  async workOrder(
    definitionKey: string,
    creator: Actor,
    fields: Partial<Omit<CreateWorkOrderCommand, 'actor'>> = {},
  ): Promise<WorkflowReplyOf<WorkflowPattern.WorkOrderCreate>> {
    const { WorkflowPattern, CreateWorkOrderCommand } = contracts();
    return this.call(
      WorkflowPattern.WorkOrderCreate,
      CreateWorkOrderCommand.create({
        title: `order ${(seq += 1)}`,
        systemId: 'sys-1',
        definitionKey,
        ...fields,
        actor: creator,
      }),
    );
  }
}
