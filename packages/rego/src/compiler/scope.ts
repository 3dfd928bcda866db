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
    return this.names.get(name) ?? this.parent?.lookup(name)
  }

  own(slot: number): void {
    this.owned.add(slot)
    this.parent?.own(slot)
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
