/**
 * Message patterns the gateway sends to the workflow app over the TCP transport.
 * Do not rename a value: a gateway and a workflow replica of different releases must still agree.
 */
export enum WorkflowPattern {
  Ping = 'workflow.system.ping',
}
