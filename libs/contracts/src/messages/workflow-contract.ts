import type { PingCommand, PingReply } from '../commands/system.command';
import { WorkflowPattern } from './workflow-pattern';

/** Pattern → command and reply types; the typed gateway client is checked against it. */
export interface WorkflowContract {
  [WorkflowPattern.Ping]: { command: PingCommand; reply: PingReply };
}

export type WorkflowCommandOf<P extends WorkflowPattern> = WorkflowContract[P]['command'];
export type WorkflowReplyOf<P extends WorkflowPattern> = WorkflowContract[P]['reply'];
