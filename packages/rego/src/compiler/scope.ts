/**
 * Lexical scopes of local variables. Each body (rule body, query, comprehension, `every`) has a
 * scope; names resolve through the parent chain. Every variable is a slot in the frame of the
 * enclosing rule definition or query.
 */
export class Scope {
  readonly parent: Scope | undefined
  readonly names = new Map<string, number>()
  /** Names declared explicitly (`:=`, `some`, `some ... in`) in this scope. */
  readonly declared = new Set<string>()
  /** Every slot created in this scope or below it (closure-local slots). */
  readonly owned = new Set<number>()

  constructor(parent: Scope | undefined) {
    this.parent = parent
  }

  lookup(name: string): number | undefined {
    for (let s: Scope | undefined = this; s; s = s.parent) {
      const slot = s.names.get(name)
      if (slot !== undefined) return slot
    }
    return undefined
  }

  own(slot: number): void {
    for (let s: Scope | undefined = this; s; s = s.parent) s.owned.add(slot)
  }
}

/** Allocates the slots of one frame and remembers their names and which are wildcards. */
export class SlotAllocator {
  readonly names: string[] = []
  readonly wildcards = new Set<number>()

  get count(): number {
    return this.names.length
  }

  alloc(scope: Scope, name: string): number {
    const slot = this.names.length
    this.names.push(name)
    scope.own(slot)
    if (name === '_') this.wildcards.add(slot)
    return slot
  }
}
