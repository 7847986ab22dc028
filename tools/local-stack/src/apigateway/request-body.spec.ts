import { Readable } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { declaresTooLarge, PayloadTooLargeError, readBoundedBody } from './request-body';

/** A request body arriving in chunks; `pulled` counts the chunks the reader took. */
function body(chunks: number, size: number) {
  let pulled = 0;
  const stream = new Readable({
    read() {
      if (pulled >= chunks) return void this.push(null);
      pulled += 1;
      this.push(Buffer.alloc(size, 0x61));
    },
  });
  return { req: stream as unknown as IncomingMessage, pulled: () => pulled };
}

describe('declaresTooLarge (API Gateway: 10 MB, by Content-Length, before anything is read)', () => {
  it.each([
    [undefined, false],
    ['0', false],
    ['10485760', false],
    ['10485761', true],
    ['99999999999', true],
  ])('Content-Length %p → %p', (length, expected) => {
    expect(declaresTooLarge({ headers: length === undefined ? {} : { 'content-length': length } })).toBe(expected);
  });
});

describe('readBoundedBody (a chunked body: its bytes counted as they arrive)', () => {
  it('reads a body within the limit whole', async () => {
    const { req } = body(4, 10);
    expect(await readBoundedBody(req, 40)).toBe('a'.repeat(40));
  });

  it('rejects past the limit, and reads no further', async () => {
    const { req, pulled } = body(1000, 1024);
    await expect(readBoundedBody(req, 4500)).rejects.toBeInstanceOf(PayloadTooLargeError);
    await new Promise((r) => setTimeout(r, 20));
    // Five chunks of 1 KiB pass 4,500 bytes: of the 1,000 KiB, no more than the stream's read-ahead was pulled after them.
    const readAhead = Readable.getDefaultHighWaterMark(false) / 1024;
    expect(pulled()).toBeLessThanOrEqual(5 + readAhead);
  });
});
