/**
 * Positional file I/O on raw file descriptors: the stand-in for RocketMQ's `FileChannel.write(buf,
 * position)` and `MappedByteBuffer.force()`.
 *
 * Writes and fsyncs are asynchronous (they run on libuv's thread pool, off the JavaScript thread);
 * reads are synchronous, because a read of data that was written moments ago is served by the
 * OS page cache in microseconds, and a synchronous read keeps getMessage a plain function.
 */
import * as fs from 'node:fs';

export function writeFully(fd: number, buf: Buffer, offset: number, length: number, position: number) {
  return new Promise<void>((resolve, reject) => {
    const step = (off: number, len: number, pos: number): void => {
      fs.write(fd, buf, off, len, pos, (err, written) => {
        if (err) return reject(err);
        if (written === len) return resolve();
        step(off + written, len - written, pos + written);
      });
    };
    step(offset, length, position);
  });
}

export function datasync(fd: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    fs.fdatasync(fd, (err) => (err ? reject(err) : resolve()));
  });
}

/** Reads exactly `length` bytes unless the file ends first; returns the number read. */
export function readFullySync(fd: number, buf: Buffer, offset: number, length: number, position: number) {
  let done = 0;
  while (done < length) {
    const n = fs.readSync(fd, buf, offset + done, length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done;
}
