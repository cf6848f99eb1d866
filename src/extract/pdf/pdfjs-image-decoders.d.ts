// pdf.js's standalone image decoders ship without type declarations: the part grif uses.
declare module 'pdfjs-dist/legacy/image_decoders/pdf.image_decoders.mjs' {
  export class JpxImage {
    static setOptions(opts: {
      useWasm: boolean;
      useWorkerFetch: boolean;
      wasmUrl: string;
      handler?: { sendWithPromise(kind: string, data: { kind: string; filename: string }): Promise<Uint8Array> };
    }): void;
    static decode(
      bytes: Uint8Array,
      opts: { numComponents?: number; isIndexedColormap?: boolean; smaskInData?: boolean; reducePower?: number },
    ): Promise<Uint8ClampedArray>;
  }
}
