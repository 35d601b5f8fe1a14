import { HttpError } from './errors.ts';

/**
 * Caps the requests in progress per route class, checked before a request's body is read: past the cap a request
 * is refused at once with 503 `overloaded` and `Retry-After`, so a flood queues neither bodies nor Redis work.
 */
export class InFlightLimits<Route extends string> {
  private readonly current = new Map<Route, number>();

  constructor(
    private readonly limits: Readonly<Record<Route, number>>,
    private readonly onRefused: (route: Route) => void = () => undefined,
  ) {}

  /** Takes a slot for `route` or throws 503; the returned function gives it back (exactly once). */
  enter(route: Route): () => void {
    const n = this.current.get(route) ?? 0;
    if (n >= this.limits[route]) {
      this.onRefused(route);
      throw new HttpError(503, 'overloaded', `too many ${route} requests in progress (limit ${this.limits[route]}); nothing was done, retry shortly`, {
        'retry-after': '1',
      });
    }
    this.current.set(route, n + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.current.set(route, (this.current.get(route) ?? 1) - 1);
    };
  }

  inFlight(route: Route): number {
    return this.current.get(route) ?? 0;
  }
}
