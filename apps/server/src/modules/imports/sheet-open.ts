import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../../platform/errors.ts';
import { looksLikeXlsx, readCsv } from './sheet-read.ts';
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

/** The upload as a temporary file, and whether it is an .xlsx workbook (else CSV). */
export interface SpooledSheet {
  readonly file: string;
  readonly xlsx: boolean;
  readonly bytes: number;
  /** Removes the temporary file. */
  dispose(): Promise<void>;
}

function limited(input: ImportInput) {
  const it = input.body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let bytes = 0;
  return {
    first: it.next(),
    async *rest(first: IteratorResult<Buffer>): AsyncGenerator<Buffer> {
      for (let next = first; !next.done; next = await it.next()) {
        bytes += next.value.length;
        if (bytes > MAX_IMPORT_BYTES)
          throw new AppError('BODY_TOO_LARGE', 'Import files are limited to 200 MB');
        yield next.value;
      }
    },
  };
}

/** Streams the upload (within the size limit) to a temporary file; never whole in memory. */
export async function spoolSheet(input: ImportInput): Promise<SpooledSheet> {
  const body = limited(input);
  const first = await body.first;
  const head: Buffer = first.done ? Buffer.alloc(0) : first.value;
  const xlsx = looksLikeXlsx(input.contentType, head);
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'takt-import-'));
  const file = path.join(dir, xlsx ? 'upload.xlsx' : 'upload.csv');
  const dispose = () => fs.rm(dir, { recursive: true, force: true });
  try {
    await pipeline(Readable.from(body.rest(first)), createWriteStream(file));
    return { file, xlsx, bytes: (await fs.stat(file)).size, dispose };
  } catch (err) {
    await dispose();
    throw err;
  }
}

/** The rows of a spooled upload; an unreadable workbook is a validation error. */
export async function* sheetRows(
  file: string,
  xlsx: boolean,
): AsyncGenerator<{ rowNo: number; cells: string[] }> {
  if (!xlsx) {
    yield* readCsv(createReadStream(file));
    return;
  }
  try {
    yield* readXlsxFile(file);
  } catch (err) {
    if (err instanceof ZipError)
      throw new AppError('VALIDATION_FAILED', `The file is not a readable .xlsx workbook: ${err.message}`);
    throw err;
  }
}

/**
 * The body with a size limit, and the format told by the content type or the first bytes. With
 * `spool`, the whole upload is on disk before the first row comes back (an .xlsx always is), so a
 * caller may hold a transaction open while it reads rows without waiting on the network.
 */
export async function openSheet(input: ImportInput, options: { spool?: boolean } = {}) {
  const body = limited(input);
  const first = await body.first;
  const head: Buffer = first.done ? Buffer.alloc(0) : first.value;
  if (!looksLikeXlsx(input.contentType, head) && options.spool !== true) return readCsv(body.rest(first));
  // A zip is read from its end: the upload goes to a temporary file first, streamed, never whole in memory.
  const spooled = await spoolSheet({
    ...input,
    body: Readable.from(body.rest(first)),
  });
  return (async function* () {
    try {
      yield* sheetRows(spooled.file, spooled.xlsx);
    } finally {
      await spooled.dispose();
    }
  })();
}
