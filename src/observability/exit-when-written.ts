/**
 * Ending a process with everything it wrote delivered.
 *
 * On Linux and macOS a write to a pipe is asynchronous: when the reader is slower than the writer
 * (`| less`, `| wc -l` on a busy machine, a log shipper), what does not fit in the pipe waits in
 * the stream, and `process.exit()` throws it away. The operator tools end here instead: once
 * stdout and stderr have handed the operating system everything written before, the process
 * exits with the code given. A reader that has gone away (`| head`) ends the wait at once, since
 * nothing more can be delivered to it.
 */

/** Resolves when every write made to `stream` before the call is complete, or cannot be. */
export function written(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off('error', done);
      resolve();
    };
    // A closed pipe (EPIPE) is reported as an error event; without a listener it would end the
    // process with a stack trace instead of the tool's own exit code.
    stream.on('error', done);
    try {
      // Writes complete in order, so an empty one's callback runs after every earlier write's.
      stream.write('', () => done());
    } catch {
      done();
    }
  });
}

/** Exits with `code` once stdout and stderr are written; the way every operator tool ends. */
export async function exitWhenWritten(code: number): Promise<never> {
  await Promise.all([written(process.stdout), written(process.stderr)]);
  process.exit(code);
}
