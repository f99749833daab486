// The members of an object read from JSON. Most template objects have a handful of properties,
// and a built-in Map costs several hundred bytes each: on a large template the maps were most
// of what the reader allocated. This keeps keys and values in one array and searches it; it
// turns into a Map when an object grows past a few dozen properties.

const SEARCH_LIMIT = 24;

export class Members<V> implements Map<string, V> {
  /** key0, value0, key1, value1, ... while small; undefined once `map` took over. */
  private pairs: (string | V)[] | undefined;
  private map: Map<string, V> | undefined;

  constructor(pairs: (string | V)[] = []) {
    this.pairs = pairs;
  }

  get size(): number {
    return this.map ? this.map.size : this.pairs!.length >> 1;
  }

  get [Symbol.toStringTag](): string {
    return 'Members';
  }

  private indexOf(key: string): number {
    const p = this.pairs!;
    for (let i = 0; i < p.length; i += 2) if (p[i] === key) return i;
    return -1;
  }

  /**
   * Where `key` sits while the members are few (its pair's index, stable until a member is
   * deleted), -1 when absent; undefined once they are a Map. For callers that keep something per
   * member beside it (EvaluatedMembers): one search instead of two.
   */
  slotOf(key: string): number | undefined {
    return this.map ? undefined : this.indexOf(key);
  }

  /** Whether the members are few enough to have slots (slotOf). */
  hasSlots(): boolean {
    return this.map === undefined;
  }

  /** The value at a slot slotOf gave. */
  valueAt(slot: number): V {
    return this.pairs![slot + 1] as V;
  }

  get(key: string): V | undefined {
    if (this.map) return this.map.get(key);
    const i = this.indexOf(key);
    return i < 0 ? undefined : (this.pairs![i + 1] as V);
  }

  has(key: string): boolean {
    return this.map ? this.map.has(key) : this.indexOf(key) >= 0;
  }

  set(key: string, value: V): this {
    if (this.map) {
      this.map.set(key, value);
      return this;
    }
    const p = this.pairs!;
    const i = this.indexOf(key);
    if (i >= 0) p[i + 1] = value;
    else if (p.length < SEARCH_LIMIT * 2) p.push(key, value);
    else {
      this.map = new Map(this.entries());
      this.map.set(key, value);
      this.pairs = undefined;
    }
    return this;
  }

  delete(key: string): boolean {
    if (this.map) return this.map.delete(key);
    const i = this.indexOf(key);
    if (i < 0) return false;
    this.pairs!.splice(i, 2);
    return true;
  }

  clear(): void {
    this.map = undefined;
    this.pairs = [];
  }

  forEach(f: (value: V, key: string, map: Map<string, V>) => void, thisArg?: unknown): void {
    if (this.map) {
      this.map.forEach((v, k) => f.call(thisArg, v, k, this));
      return;
    }
    const p = this.pairs!;
    for (let i = 0; i < p.length; i += 2) f.call(thisArg, p[i + 1] as V, p[i] as string, this);
  }

  // Array iterators, not generators: for...of over a generator is several times slower, and the
  // rules iterate members a lot.
  entries(): MapIterator<[string, V]> {
    if (this.map) return this.map.entries();
    const p = this.pairs!;
    const out: [string, V][] = new Array(p.length >> 1);
    for (let i = 0; i < p.length; i += 2) out[i >> 1] = [p[i] as string, p[i + 1] as V];
    return out[Symbol.iterator]();
  }

  keys(): MapIterator<string> {
    if (this.map) return this.map.keys();
    const p = this.pairs!;
    const out: string[] = new Array(p.length >> 1);
    for (let i = 0; i < p.length; i += 2) out[i >> 1] = p[i] as string;
    return out[Symbol.iterator]();
  }

  values(): MapIterator<V> {
    if (this.map) return this.map.values();
    const p = this.pairs!;
    const out: V[] = new Array(p.length >> 1);
    for (let i = 1; i < p.length; i += 2) out[i >> 1] = p[i] as V;
    return out[Symbol.iterator]();
  }

  /** The member under `from` moved to `to`, in its place (a property renamed). */
  rename(from: string, to: string): void {
    if (from === to) return;
    if (this.map) {
      const entries = [...this.map].map(([k, v]): [string, V] => [k === from ? to : k, v]);
      this.map = new Map(entries);
      return;
    }
    const i = this.indexOf(from);
    if (i >= 0) this.pairs![i] = to;
  }

  /** Members from (key, value) pairs with distinct keys, in order; the array is kept, not copied. */
  static fromPairs<V>(pairs: (string | V)[]): Members<V> {
    if (pairs.length <= SEARCH_LIMIT * 2) return new Members<V>(pairs);
    const out = new Members<V>();
    out.pairs = undefined;
    out.map = new Map();
    for (let i = 0; i < pairs.length; i += 2) out.map.set(pairs[i] as string, pairs[i + 1] as V);
    return out;
  }

  /** A copy (the members themselves are shared). */
  static copy<V>(src: Map<string, V>): Members<V> {
    const out = new Members<V>();
    if (src instanceof Members && src.pairs) out.pairs = src.pairs.slice();
    else src.forEach((v, k) => out.set(k, v));
    return out;
  }

  [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries();
  }
}
