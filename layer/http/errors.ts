/** An error that becomes an HTTP response `{error, message}` with the given status (and any extra headers). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const badRequest = (message: string) => new HttpError(400, 'bad-request', message);
export const tooLarge = (message: string) => new HttpError(413, 'too-large', message);
export const wrongType = (message: string) => new HttpError(422, 'wrong-type', message);
