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

/** A growable set of small non-negative integers, as one byte each. */
export class Flags {
  private bytes = new Uint8Array(1024);

  set(i: number): void {
    if (i >= this.bytes.length) {
      const next = new Uint8Array(Math.max(i + 1, this.bytes.length * 2));
      next.set(this.bytes);
      this.bytes = next;
    }
    this.bytes[i] = 1;
  }

  has(i: number): boolean {
    return i < this.bytes.length && this.bytes[i] === 1;
  }
}
