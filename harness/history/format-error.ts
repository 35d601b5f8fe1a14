/** Bad input, pointing at the file and line that caused it (CLI exit code 65); line 0 is the file as a whole. */
export class HistoryFormatError extends Error {
  constructor(readonly file: string, readonly line: number, readonly detail: string) {
    super(line > 0 ? `${file}:${line}: ${detail}` : `${file}: ${detail}`);
    this.name = 'HistoryFormatError';
  }
}
