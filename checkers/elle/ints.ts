/**
 * A growable list of 32-bit integers: 4 bytes an element where a JS array of small integers takes 8, and one
 * backing store instead of a JS array's repeated copies and write barriers. Read `a` after the last push (growing
 * replaces it).
 */
export class IntList {
  a: Int32Array;
  length = 0;

  constructor(capacity = 64) {
    this.a = new Int32Array(Math.max(capacity, 4));
  }

  push(x: number): number {
    if (this.length === this.a.length) {
      const next = new Int32Array(this.a.length * 2);
      next.set(this.a);
      this.a = next;
    }
    this.a[this.length] = x;
    return this.length++;
  }
}
