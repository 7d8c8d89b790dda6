import { FOREVER, type Minutes } from './units.ts';

/**
 * Occupation of one machine unit: intervals sorted by start. `maxEnd[i]` is the largest end among
 * entries 0..i, so gaps stay well defined even if locked operations overlap.
 */
export class Lane {
  readonly starts: number[] = [];
  readonly ends: number[] = [];
  readonly ops: number[] = [];
  /** Setup minutes reserved at the start of each entry. */
  readonly setups: number[] = [];
  readonly maxEnd: number[] = [];

  /** Index of the first entry whose start is ≥ t. */
  firstStartingAtOrAfter(t: Minutes): number {
    let lo = 0;
    let hi = this.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.starts[mid]! >= t) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  insert(op: number, start: Minutes, end: Minutes, setup: Minutes): void {
    let i = this.firstStartingAtOrAfter(start);
    while (i < this.starts.length && this.starts[i] === start && this.ends[i]! <= end) i++;
    this.starts.splice(i, 0, start);
    this.ends.splice(i, 0, end);
    this.ops.splice(i, 0, op);
    this.setups.splice(i, 0, setup);
    this.maxEnd.splice(i, 0, 0);
    for (let k = i; k < this.starts.length; k++) {
      const prev = k > 0 ? this.maxEnd[k - 1]! : -FOREVER;
      this.maxEnd[k] = Math.max(prev, this.ends[k]!);
    }
  }

  remove(op: number): void {
    const i = this.ops.indexOf(op);
    if (i < 0) return;
    this.starts.splice(i, 1);
    this.ends.splice(i, 1);
    this.ops.splice(i, 1);
    this.setups.splice(i, 1);
    this.maxEnd.splice(i, 1);
    for (let k = i; k < this.starts.length; k++) {
      const prev = k > 0 ? this.maxEnd[k - 1]! : -FOREVER;
      this.maxEnd[k] = Math.max(prev, this.ends[k]!);
    }
  }

  /** Whether [start, end) overlaps nothing in the lane. */
  isFree(start: Minutes, end: Minutes): boolean {
    const i = this.firstStartingAtOrAfter(end);
    // Entries before i start before `end`; the one with the largest end decides.
    return i === 0 || this.maxEnd[i - 1]! <= start;
  }
}

/**
 * Usage of a counted resource over time as a step function: usage[i] applies on
 * [times[i], times[i + 1]). The first step starts at -FOREVER with usage 0.
 */
export class Profile {
  readonly capacity: number;
  readonly times: number[] = [-FOREVER];
  readonly usage: number[] = [0];

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  private stepAt(t: Minutes): number {
    let lo = 0;
    let hi = this.times.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.times[mid]! <= t) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Earliest s ≥ t where `count` more units fit during [s, s + duration); -1 if never. */
  earliest(t: Minutes, duration: Minutes, count: number): Minutes {
    if (duration <= 0 || count <= 0) return t;
    if (count > this.capacity) return -1;
    let s = t;
    let i = this.stepAt(s);
    for (;;) {
      let j = i;
      let clash = -1;
      while (j < this.times.length && this.times[j]! < s + duration) {
        if (this.usage[j]! + count > this.capacity) clash = j;
        j++;
      }
      if (clash < 0) return s;
      if (clash + 1 >= this.times.length) return -1;
      s = this.times[clash + 1]!;
      i = clash + 1;
    }
  }

  /** Whether `count` more units fit during [start, end). */
  fits(start: Minutes, end: Minutes, count: number): boolean {
    return end <= start || this.earliest(start, end - start, count) === start;
  }

  private split(t: Minutes): number {
    const i = this.stepAt(t);
    if (this.times[i] === t) return i;
    this.times.splice(i + 1, 0, t);
    this.usage.splice(i + 1, 0, this.usage[i]!);
    return i + 1;
  }

  add(start: Minutes, end: Minutes, count: number): void {
    if (end <= start || count === 0) return;
    const a = this.split(start);
    const b = this.split(end);
    for (let k = a; k < b; k++) this.usage[k]! += count;
  }
}
