/** Test-only: bits, most significant first, for the fixture encoders (Huffman-coded JBIG2 data, LZW codes). */
export class BitWriter {
  private readonly out: number[] = [];
  private acc = 0;
  private n = 0;
  bits(value: number, count: number): void {
    for (let i = count - 1; i >= 0; i--) {
      // Values of 32 bits: take each bit without sign trouble.
      this.acc = (this.acc << 1) | (Math.floor(value / 2 ** i) & 1);
      if (++this.n === 8) this.flushByte();
    }
  }
  private flushByte(): void {
    this.out.push(this.acc & 0xff);
    this.acc = 0;
    this.n = 0;
  }
  align(): void {
    if (this.n > 0) {
      this.acc <<= 8 - this.n;
      this.flushByte();
    }
  }
  bytes(b: ArrayLike<number>): void {
    this.align();
    for (let i = 0; i < b.length; i++) this.out.push(b[i]!);
  }
  done(): Uint8Array {
    this.align();
    return Uint8Array.from(this.out);
  }
}
