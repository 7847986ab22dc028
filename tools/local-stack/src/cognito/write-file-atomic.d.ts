declare module 'write-file-atomic' {
  interface Options {
    chown?: { uid: number; gid: number } | false;
    encoding?: BufferEncoding;
    fsync?: boolean;
    mode?: number | false;
    tmpfileCreated?: (tmpfile: string) => void;
  }
  /** Writes to a temporary file, fsyncs it and renames it over `filename`; writes to one file run one after another, in call order. */
  function writeFileAtomic(filename: string, data: string | Buffer, options?: Options): Promise<void>;
  export = writeFileAtomic;
}
