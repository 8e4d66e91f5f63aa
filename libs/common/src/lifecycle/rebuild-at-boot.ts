import { Logger, type OnApplicationBootstrap } from '@nestjs/common';

/**
 * A pre-aggregate bucketed by days of TZ_BUSINESS, rebuilt before the app serves when it was built for
 * another zone (or never): `rebuild` answers whether it had to, which the log then says with the time.
 */
export abstract class RebuildAtBoot implements OnApplicationBootstrap {
  private readonly logger = new Logger(this.constructor.name);

  constructor(
    private readonly what: string,
    private readonly timeZone: string,
    private readonly rebuild: (timeZone: string) => Promise<boolean>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const started = Date.now();
    if (await this.rebuild(this.timeZone))
      this.logger.log(`${this.what} rebuilt for ${this.timeZone} in ${Date.now() - started} ms`);
  }
}
