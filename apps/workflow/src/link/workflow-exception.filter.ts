import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import { HttpExceptionFilter, RpcExceptionFilter } from '@app/common';

/** The workflow app is hybrid (TCP commands + HTTP health): route each failure to its transport's filter. */
@Catch()
export class WorkflowExceptionFilter implements ExceptionFilter {
  private readonly rpc = new RpcExceptionFilter();
  private readonly http = new HttpExceptionFilter();

  catch(exception: unknown, host: ArgumentsHost) {
    return host.getType() === 'rpc' ? this.rpc.catch(exception, host) : this.http.catch(exception, host);
  }
}
