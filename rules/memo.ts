// Values worked out once per object (a deployment, a resource, a list), kept on the object.
//
// Not in a WeakMap: V8's young-generation collector treats WeakMap entries as strong, and only a
// full collection clears them. Every scan's deployment reached through one (texts, JSON trees,
// resources, findings) survived its first scavenges, was copied and promoted to the old
// generation, and died there later, instead of dying young for free. A property on the object
// itself goes when the object does.

export class Memo<K extends object, V> {
  private readonly slot: symbol;

  constructor(name: string) {
    this.slot = Symbol(name);
  }

  get(o: K): V | undefined {
    return (o as { [k: symbol]: V | undefined })[this.slot];
  }

  set(o: K, value: V): V {
    // Not enumerable: a spread copy of the object (`{ ...origin, part: true }`) must not inherit it.
    Object.defineProperty(o, this.slot, { value, writable: true, configurable: true, enumerable: false });
    return value;
  }
}
