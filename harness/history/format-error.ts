/**
 * Marks every HistoryFormatError, whichever copy of this module made it. One process can hold two: the tests load
 * the sources as CommonJS through tsx, and a module the code imports lazily (a checker, the EDN reader) is loaded
 * again as an ES module. The error one copy throws must still be bad input to the other.
 */
const BRAND = Symbol.for('rift.HistoryFormatError');

/** Bad input, pointing at the file and line that caused it (CLI exit code 65); line 0 is the file as a whole. */
export class HistoryFormatError extends Error {
  static [Symbol.hasInstance](value: unknown): value is HistoryFormatError {
    return typeof value === 'object' && value !== null && BRAND in value;
  }

  constructor(readonly file: string, readonly line: number, readonly detail: string) {
    super(line > 0 ? `${file}:${line}: ${detail}` : `${file}: ${detail}`);
    this.name = 'HistoryFormatError';
    // Not enumerable: printing the error shows its file, line and detail, not the mark.
    Object.defineProperty(this, BRAND, { value: true });
  }
}
