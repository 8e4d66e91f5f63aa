/**
 * Runs a bind (HTTP listen, TCP microservice) and turns "address in use" into one clear line and exit
 * code 1, so `npm start` and orchestrators report the real cause instead of a stack trace or a false "up".
 */
export async function bindOrExit(app: string, what: string, bind: () => Promise<unknown>): Promise<void> {
  try {
    await bind();
  } catch (error) {
    const code = (error as { code?: string } | null)?.code;
    if (code === 'EADDRINUSE' || code === 'EACCES') {
      process.stderr.write(
        `${app}: cannot listen on ${what}: ${code === 'EADDRINUSE' ? 'address already in use' : 'permission denied'}\n`,
      );
      process.exit(1);
    }
    throw error;
  }
}
