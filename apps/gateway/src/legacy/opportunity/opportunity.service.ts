import { Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import {
  type Actor,
  ErrorCode,
  GetInstanceCommand,
  ListInstancesCommand,
  ListTasksCommand,
  TaskRefCommand,
  WorkflowPattern,
} from '@app/contracts';
import type { Principal } from '@app/auth';
import { AppException, messageFor } from '@app/common';
import { AuthService } from '../../identity/auth/auth.service';
import type { TokenPairDto } from '../../identity/auth/auth.dto';
import type { ClientContext } from '../../identity/shared/client-context';
import { WorkflowClient } from '../../workflow-client/workflow.client';
import { LEGACY_SESSION_COOKIE } from '../legacy-http.module';
import type { DoLoginDto, LegacyPasswordDto, PathPageDto } from './opportunity.dto';

/** Seed 000 (云改商机上报支撑系统) over the platform's identity and workflow services. */
@Injectable()
export class OpportunityLegacyService {
  constructor(
    private readonly auth: AuthService,
    private readonly workflow: WorkflowClient,
  ) {}

  /** `{"msg":"","status":"ok"}` plus the session cookie; failures answer `status: "error"`. */
  async doLogin(dto: DoLoginDto, client: ClientContext, reply: FastifyReply) {
    try {
      const pair = await this.auth.login({ account: dto.accountId, password: dto.pass }, client);
      setSessionCookie(reply, pair);
      return { msg: '', status: 'ok', token: pair.accessToken };
    } catch (error) {
      if (!(error instanceof AppException) || error.code === ErrorCode.TooManyRequests) throw error;
      return { msg: messageFor(error.code, 'zh'), status: 'error' };
    }
  }

  async changePassword(
    principal: Principal,
    dto: LegacyPasswordDto,
    client: ClientContext,
    reply: FastifyReply,
  ) {
    const pair = await this.auth.changePassword(principal, dto, client);
    setSessionCookie(reply, pair); // the old session ended with the change
    return null;
  }

  instances(actor: Actor, page: PathPageDto, finished: boolean) {
    return this.workflow.send(
      WorkflowPattern.InstanceList,
      ListInstancesCommand.create({
        actor,
        scope: 'started',
        finished,
        pageNum: page.pageNum,
        pageSize: page.pageSize,
      }),
    );
  }

  /** 待领取 = claimable; 待处理 = held by me. */
  tasks(actor: Actor, page: PathPageDto, which: 'claimable' | 'held') {
    return this.workflow.send(
      WorkflowPattern.TaskList,
      ListTasksCommand.create({
        actor,
        scope: which === 'claimable' ? 'claimable' : 'todo',
        ...(which === 'held' && { assignedOnly: true }),
        pageNum: page.pageNum,
        pageSize: page.pageSize,
      }),
    );
  }

  diagram(actor: Actor, id: string) {
    return this.workflow.send(WorkflowPattern.InstanceDiagram, GetInstanceCommand.create({ actor, id }));
  }

  claim(actor: Actor, taskId: string) {
    return this.workflow.send(WorkflowPattern.TaskClaim, TaskRefCommand.create({ actor, taskId }));
  }
}

function setSessionCookie(reply: FastifyReply, pair: TokenPairDto): void {
  void reply.header(
    'set-cookie',
    `${LEGACY_SESSION_COOKIE}=${encodeURIComponent(pair.accessToken)}; Path=/; Max-Age=${pair.expiresIn}; HttpOnly; Secure; SameSite=Strict`,
  );
}
