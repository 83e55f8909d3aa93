import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';

/** Thrown inside a writer when the export was cancelled; the runner removes the half file. */
export class ExportCancelled extends Error {
  constructor() {
    super('the export was cancelled');
    this.name = 'ExportCancelled';
  }
}

/**
 * Bytes gathered before one write to the file: fewer, larger writes. Text is encoded into the chunk as
 * it is written (one UTF-8 encode per piece, no long joined string to flatten and encode at flush,
 * which cost an export of a million rows about as much as its quoting).
 */
const CHUNK_BYTES = 512 * 1024;

/** The name a file has while it is being written: hidden, next to the destination (so rename is atomic). */
export function tempPathFor(finalPath: string, tag: string): string {
  return path.join(path.dirname(finalPath), `.${path.basename(finalPath)}.${tag}.part`);
}

/**
 * The file an export writes: created under a temporary name next to the destination, renamed onto it
 * only when complete (after fsync), removed on cancel or failure. A half file never carries the
 * destination's name. Writes respect the stream's backpressure.
 */
export class TempFile {
  readonly stream: fs.WriteStream;
  private readonly fd: number;
  /** The chunk being filled, how much of it holds text, and the filled chunks not yet handed to the stream. */
  private chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  private used = 0;
  private filled: Buffer[] = [];
  /** Until the stream has finished it owns the descriptor (destroy closes it); after, we close it. */
  private finished = false;
  private closed = false;
  /** A write that failed (disk full…): the next flush or finish throws it instead of waiting forever. */
  private failure: Error | null = null;

  constructor(readonly tempPath: string) {
    this.fd = fs.openSync(tempPath, 'wx');
    this.stream = fs.createWriteStream(tempPath, { fd: this.fd, autoClose: false, highWaterMark: 1024 * 1024 });
    this.stream.on('error', (error) => {
      this.failure ??= error;
    });
  }

  private check(): void {
    const error = this.failure ?? this.stream.errored;
    if (error) throw error;
  }

  /** Queues text; it reaches the file at the next `flush` (writers call `pace`, which flushes). */
  write(s: string): void {
    // A UTF-16 unit takes at most 3 bytes in UTF-8 (a surrogate pair, two units, takes 4).
    if (this.used + s.length * 3 > CHUNK_BYTES) {
      this.seal();
      if (s.length * 3 > CHUNK_BYTES) {
        this.filled.push(Buffer.from(s, 'utf8'));
        return;
      }
    }
    this.used += this.chunk.write(s, this.used);
  }

  private seal(): void {
    if (this.used === 0) return;
    this.filled.push(this.chunk.subarray(0, this.used));
    this.chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    this.used = 0;
  }

  /** Hands gathered text to the stream, waiting for it to drain when it is full. */
  async flush(force = false): Promise<void> {
    this.check();
    if (force) this.seal();
    if (this.filled.length === 0) {
      if (this.stream.writableNeedDrain) await once(this.stream, 'drain');
      return;
    }
    const chunks = this.filled;
    this.filled = [];
    let room = true;
    for (const chunk of chunks) room = this.stream.write(chunk);
    if (!room) await once(this.stream, 'drain');
  }

  /** Ends the stream (unless a library already did), syncs it to disk and closes it. */
  async finish(): Promise<void> {
    await this.flush(true);
    this.check();
    if (!this.stream.writableFinished) {
      if (!this.stream.writableEnded) this.stream.end();
      await once(this.stream, 'finish');
    }
    this.finished = true;
    fs.fsyncSync(this.fd);
    this.close();
  }

  /** Moves the finished file onto the destination; returns its size. */
  async commit(finalPath: string, overwrite: boolean): Promise<number> {
    if (!overwrite && fs.existsSync(finalPath)) {
      await this.discard();
      throw new Error(`${finalPath} appeared while exporting; the export was not written over it`);
    }
    fs.renameSync(this.tempPath, finalPath);
    return fs.statSync(finalPath).size;
  }

  /** Stops writing (after any write in flight) and removes the temporary file. */
  async discard(): Promise<void> {
    if (!this.finished && !this.closed) {
      this.closed = true;
      if (!this.stream.closed) {
        const closed = new Promise<void>((resolve) => this.stream.once('close', () => resolve()));
        this.stream.destroy();
        await closed;
      }
    } else {
      this.close();
    }
    fs.rmSync(this.tempPath, { force: true });
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    fs.closeSync(this.fd);
  }
}
