import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface DelayServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** The URL that answers after `ms` milliseconds. */
  url(ms: number): string;
  close(): Promise<void>;
}

/** Starts the delay server (dist/delay-server.js) in a child process and resolves once it listens. */
export function startDelayServer(): Promise<DelayServer> {
  const script = fileURLToPath(new URL('./delay-server.js', import.meta.url));
  const child = spawn(process.execPath, [script], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null, signal: string | null) =>
      reject(new Error(`the delay server exited before listening (code ${code}, signal ${signal})`));
    child.once('error', reject);
    child.once('exit', onExit);
    child.once('message', (message: { port: number }) => {
      child.off('exit', onExit);
      const origin = `http://127.0.0.1:${message.port}`;
      resolve({
        origin,
        url: (ms) => `${origin}/delay/${Math.round(ms)}`,
        close: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.once('exit', () => done());
            child.disconnect();
            setTimeout(() => child.kill('SIGKILL'), 2000).unref();
          }),
      });
    });
  });
}
