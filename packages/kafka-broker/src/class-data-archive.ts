import { existsSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';

const STALE_LOCK_MS = 10 * 60_000;

/**
 * A Java class-data-sharing (AppCDS) archive of the broker's classes, kept next to the jars.
 * The first broker started without one dumps it when it stops cleanly; later JVMs map it and
 * start a few seconds sooner. A mismatched archive (other JVM build) is ignored by Java itself.
 */
export class ClassDataArchive {
  readonly #temporaryFile: string;
  #dumping = false;

  /**
   * `file` should name the Java version: an archive only fits the JVM build that wrote it.
   * `mayDump: false` only reads (for brokers another process will stop, which cannot publish).
   */
  constructor(
    readonly file: string,
    private readonly options: { mayDump: boolean } = { mayDump: true },
  ) {
    this.#temporaryFile = `${file}.${process.pid}.tmp`;
  }

  get #lockFile(): string {
    return `${this.file}.lock`;
  }

  /** JVM options for a process that only reads the archive (if there is one yet). */
  readArgs(): string[] {
    return existsSync(this.file) ? [`-XX:SharedArchiveFile=${this.file}`, '-Xlog:cds=off'] : [];
  }

  /** JVM options for a broker: read the archive, or be the one JVM that dumps it at exit. */
  brokerArgs(): string[] {
    if (existsSync(this.file)) return this.readArgs();
    if (!this.options.mayDump || !this.#claimDump()) return [];
    this.#dumping = true;
    return [`-XX:ArchiveClassesAtExit=${this.#temporaryFile}`, '-Xlog:cds=off'];
  }

  /** Only one process dumps at a time: whoever creates the lock file first (stale locks expire). */
  #claimDump(): boolean {
    try {
      if (existsSync(this.#lockFile) && Date.now() - statSync(this.#lockFile).mtimeMs > STALE_LOCK_MS) rmSync(this.#lockFile, { force: true });
      writeFileSync(this.#lockFile, String(process.pid), { flag: 'wx' });
      return true;
    } catch {
      return false;
    }
  }

  /** After the dumping JVM exited: move a complete dump into place (a killed JVM leaves none). */
  publish(): void {
    if (!this.#dumping) return;
    this.#dumping = false;
    try {
      if (existsSync(this.#temporaryFile) && statSync(this.#temporaryFile).size > 0) renameSync(this.#temporaryFile, this.file);
    } finally {
      rmSync(this.#temporaryFile, { force: true });
      rmSync(this.#lockFile, { force: true });
    }
  }
}
