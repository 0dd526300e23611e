import { open, readFile } from 'node:fs/promises';

// MVStore layout (H2 2.x): 4 KiB blocks; a chunk starts with an ASCII header line
// `chunk:<id>,block:..,len:<blocks>,...,version:<hex>,...`, up to 1 KiB, and ends with a footer.
const BLOCK = 4096;
const HEADER_MAX = 1024;
const FOOTER_ROOM = 256;

/**
 * Overwrites the pages of the newest chunk (header and footer kept, so H2 trusts them and only
 * finds the damage when it reads the pages), as a crash in the middle of a write could.
 */
export async function damageNewestChunk(file: string): Promise<void> {
  const bytes = await readFile(file);
  let newest: { position: number; version: number; blocks: number } | undefined;
  for (let position = 0; position < bytes.length; position += BLOCK) {
    const header = bytes.toString('latin1', position, position + HEADER_MAX);
    if (!header.startsWith('chunk:')) continue;
    const fields = new Map(
      header
        .split('\n')[0]
        ?.split(',')
        .map((field) => field.split(':') as [string, string]),
    );
    const version = Number.parseInt(fields.get('version') ?? '', 16);
    if (!newest || version > newest.version) {
      newest = { position, version, blocks: Number.parseInt(fields.get('len') ?? '', 16) };
    }
  }
  if (!newest) throw new Error(`no chunk found in ${file}`);
  const length = newest.blocks * BLOCK - HEADER_MAX - FOOTER_ROOM;
  await overwrite(file, newest.position + HEADER_MAX, length);
}

/** Overwrites both store headers: no version of the file can be read any more. */
export async function damageStoreHeaders(file: string): Promise<void> {
  await overwrite(file, 0, 2 * BLOCK);
}

async function overwrite(file: string, position: number, length: number): Promise<void> {
  const handle = await open(file, 'r+');
  try {
    await handle.write(Buffer.alloc(length, 0xab), 0, length, position);
  } finally {
    await handle.close();
  }
}
