import { Injectable } from '@nestjs/common';
import { createTransport } from 'nodemailer';
import {
  type ChannelResult,
  ChannelError,
  type ChannelSender,
  type OutgoingMessage,
  requireStrings,
  str,
} from './channel';

/**
 * E-mail over SMTP (nodemailer). Config: host, port, secure (TLS from the start; else STARTTLS when
 * offered), user/pass (optional), from, rejectUnauthorized (default true).
 */
@Injectable()
export class EmailChannel implements ChannelSender {
  readonly channel = 'email' as const;

  validateConfig(config: Record<string, unknown>) {
    const problems = requireStrings(config, ['host', 'from']);
    const port = config.port;
    if (!Number.isInteger(port) || (port as number) < 1 || (port as number) > 65535)
      problems.push({ field: 'config.port', reason: 'port must be an integer 1-65535' });
    if (config.secure !== undefined && typeof config.secure !== 'boolean')
      problems.push({ field: 'config.secure', reason: 'secure must be a boolean' });
    return problems;
  }

  async send(message: OutgoingMessage, config: Record<string, unknown>): Promise<ChannelResult> {
    if (!message.address) throw new ChannelError('the recipient has no e-mail address', null, false);
    const transport = createTransport({
      host: str(config, 'host'),
      port: config.port as number,
      secure: config.secure === true,
      auth: str(config, 'user') ? { user: str(config, 'user'), pass: str(config, 'pass') } : undefined,
      tls: { rejectUnauthorized: config.rejectUnauthorized !== false },
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
    });
    try {
      const info = await transport.sendMail({
        from: str(config, 'from'),
        to: message.address,
        subject: message.subject ?? '',
        text: message.body,
        headers: { 'X-Flowdesk-Message-Id': message.messageId },
      });
      if (info.rejected.length > 0) throw new ChannelError('recipient refused', info.response, false);
      return { status: 'sent', answer: info.response };
    } catch (error) {
      if (error instanceof ChannelError) throw error;
      const e = error as { message?: string; response?: string; responseCode?: number };
      // 5xx SMTP answers are permanent, 4xx and network errors are worth a retry
      const permanent = typeof e.responseCode === 'number' && e.responseCode >= 500;
      throw new ChannelError(e.message ?? String(error), e.response ?? null, !permanent);
    } finally {
      transport.close();
    }
  }
}
