import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../../platform/errors.ts';
import { looksLikeXlsx, readCsv } from './sheet-io.ts';
import { readXlsxFile } from './xlsx-reader.ts';
import { ZipError } from './zip-file.ts';

export const MAX_IMPORT_BYTES = 200 * 1024 * 1024;
export const MAX_STORED_ERRORS = 100_000;

export interface ImportInput {
  readonly body: Readable;
  readonly contentType?: string;
  readonly mode: 'insert' | 'upsert';
  readonly dryRun: boolean;
}

/**
 * The body with a size limit, and the format told by the content type or the first bytes. With
 * `spool`, the whole upload is on disk before the first row comes back (an .xlsx always is), so a
 * caller may hold a transaction open while it reads rows without waiting on the network.
 */
export async function openSheet(input: ImportInput, options: { spool?: boolean } = {}) {
  const it = input.body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const first = await it.next();
  const head: Buffer = first.done ? Buffer.alloc(0) : first.value;
  let bytes = 0;
  async function* all(): AsyncGenerator<Buffer> {
    for (let next = first; !next.done; next = await it.next()) {
      bytes += next.value.length;
      if (bytes > MAX_IMPORT_BYTES)
        throw new AppError('BODY_TOO_LARGE', 'Import files are limited to 200 MB');
      yield next.value;
    }
  }
  const xlsx = looksLikeXlsx(input.contentType, head);
  if (!xlsx && options.spool !== true) return readCsv(all());
  // A zip is read from its end: the upload goes to a temporary file first, streamed, never whole in memory.
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'takt-import-'));
  const file = path.join(dir, xlsx ? 'upload.xlsx' : 'upload.csv');
  return (async function* () {
    try {
      await pipeline(Readable.from(all()), createWriteStream(file));
      if (!xlsx) {
        yield* readCsv(createReadStream(file));
        return;
      }
      try {
        yield* readXlsxFile(file);
      } catch (err) {
        if (err instanceof ZipError)
          throw new AppError(
            'VALIDATION_FAILED',
            `The file is not a readable .xlsx workbook: ${err.message}`,
          );
        throw err;
      }
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  })();
}
