import archiver from 'archiver';
import type { TempFile } from './output';
import type { ZipSink } from './writeHtml';

/**
 * A .zip written into the export's temporary file (archiver, deflate). `add` resolves once the
 * entry has gone through the compressor (so a writer holds one entry at a time, and the file's
 * backpressure reaches it); `finish` writes the central directory and ends the file's stream;
 * `abort` stops it on cancel or failure (the temporary file is removed by the runner).
 */
export class ZipOutput implements ZipSink {
  private readonly archive = archiver('zip', { zlib: { level: 6 }, forceZip64: false });
  private failure: Error | null = null;

  constructor(out: TempFile) {
    this.archive.on('error', (error) => {
      this.failure ??= error;
    });
    this.archive.on('warning', (error) => {
      this.failure ??= error;
    });
    this.archive.pipe(out.stream);
  }

  add(name: string, content: string): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const done = () => {
        this.archive.off('error', failed);
        resolve();
      };
      const failed = (error: Error) => {
        this.archive.off('entry', done);
        reject(error);
      };
      this.archive.once('entry', done);
      this.archive.once('error', failed);
      this.archive.append(Buffer.from(content, 'utf8'), { name, date: new Date() });
    });
  }

  async finish(): Promise<void> {
    if (this.failure) throw this.failure;
    await this.archive.finalize();
    if (this.failure) throw this.failure;
  }

  abort(): void {
    this.archive.abort();
  }
}
