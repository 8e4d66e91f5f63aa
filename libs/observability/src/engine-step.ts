import { engineStepSeconds, secondsSince } from './metrics';
import { inSpan } from './tracing';

/** Times one BPMN engine step (histogram) and makes it a span of the command's trace. */
export function engineStep<T>(operation: string, work: () => Promise<T>): Promise<T> {
  const started = process.hrtime.bigint();
  return inSpan(`engine ${operation}`, {}, () => work()).finally(() =>
    engineStepSeconds.observe({ operation }, secondsSince(started)),
  );
}
