import { randomBytes } from 'node:crypto';
import { mkdirSync, type ReadStream } from 'node:fs';
import { open, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

const FILE_NAME = /^[0-9a-f]{32}\.jpg$/;

/**
 * The folder of stored (already re-encoded) JPEGs, `DATA_DIR/images`. File names are 128 random
 * bits; only names of that exact shape are ever opened, so no path can escape the folder.
 */
export class ImageStore {
  readonly dir: string;

  constructor(dataDir: string) {
    this.dir = path.join(dataDir, 'images');
    mkdirSync(this.dir, { recursive: true });
  }

  /** Writes a new file and returns its name. */
  async save(jpeg: Buffer): Promise<string> {
    const name = `${randomBytes(16).toString('hex')}.jpg`;
    await writeFile(this.pathOf(name), jpeg, { flag: 'wx', mode: 0o600 });
    return name;
  }

  /** A stream of the file, or undefined when it is gone (deleted meanwhile). */
  async open(name: string): Promise<ReadStream | undefined> {
    try {
      const handle = await open(this.pathOf(name), 'r');
      return handle.createReadStream();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  async remove(name: string): Promise<void> {
    await rm(this.pathOf(name), { force: true });
  }

  private pathOf(name: string): string {
    if (!FILE_NAME.test(name)) throw new Error(`refusing image file name ${JSON.stringify(name)}`);
    return path.join(this.dir, name);
  }
}
