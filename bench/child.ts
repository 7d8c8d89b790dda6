import { fork } from 'node:child_process';

/**
 * Runs `job` in a child process started from `file` with `--child` (the script's own load generator,
 * so it does not share the server's event loop) and resolves with the one message the child sends.
 */
export function runInChild<R>(file: string, job: object): Promise<R> {
  return new Promise((resolve, reject) => {
    const child = fork(file, ['--child'], {
      execArgv: [],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child.once('message', (m) => resolve(m as R));
    child.once('exit', (code) => code !== 0 && reject(new Error(`load child exited ${code}`)));
    child.send(job);
  });
}
