import { RegoObject, RegoSet, type Value } from '../../value/value.ts'
import { objectArg, operandTypeError } from '../args.ts'
import { builtin, type BuiltinContext, type BuiltinDef } from '../builtin.ts'
import { WorkMeter } from '../work.ts'

/** Vertices in an array or set; anything else has none. */
function vertices(v: Value | undefined): readonly Value[] {
  if (Array.isArray(v)) return v
  if (v instanceof RegoSet) return v.values()
  return []
}

function initialVertices(args: readonly Value[]): readonly Value[] {
  const v = args[1] ?? null
  if (!Array.isArray(v) && !(v instanceof RegoSet)) throw operandTypeError(2, '{array, set}', v)
  return vertices(v)
}

/**
 * Every vertex reachable from the initial ones (those in the graph, themselves included). Each
 * vertex's edges are followed once, and charged.
 */
function reachable(graph: RegoObject, initial: readonly Value[], meter: WorkMeter): RegoSet {
  const reached = new RegoSet()
  const queue = [...initial]
  for (let i = 0; i < queue.length; i++) {
    const node = queue[i] as Value
    if (reached.has(node)) continue
    const edges = graph.get(node)
    if (edges === undefined) continue
    const next = vertices(edges)
    meter.add(1 + next.length)
    for (const n of next) if (!reached.has(n)) queue.push(n)
    reached.add(node)
  }
  return reached
}

/**
 * Paths from each initial vertex, each ending at a leaf, a missing vertex or an already
 * visited one. This follows OPA 1.4 (what the conformance suite expects): the visited set is
 * shared by a whole walk from one initial edge, not per branch, and the paths one vertex
 * commits for visited neighbors accumulate (a second visited neighbor commits the path twice
 * over, concatenated).
 */
function reachablePaths(graph: RegoObject, initial: readonly Value[], meter: WorkMeter): RegoSet {
  const out = new RegoSet()
  const build = (root: Value, path: readonly Value[], reached: RegoSet): void => {
    const edges = graph.get(root)
    // Every path built is a copy: charged by its length.
    meter.add(1 + path.length)
    if (edges === undefined) {
      out.add([...path])
      return
    }
    const here = [...path, root]
    const next = vertices(edges)
    if (next.length === 0) {
      out.add(here)
      return
    }
    let committed: Value[] = []
    for (const n of next) {
      if (reached.has(n)) {
        committed = [...committed, ...here]
        meter.add(committed.length)
        out.add(committed)
      } else {
        reached.add(root)
        build(n, here, reached)
      }
    }
  }
  for (const node of initial) {
    const edges = graph.get(node)
    if (edges === undefined) continue
    const next = vertices(edges)
    if (next.length === 0) out.add([node])
    for (const n of next) build(n, [node], new RegoSet().add(node))
  }
  return out
}

/** Run a graph walk with a meter for its work. */
function metered<T>(ctx: BuiltinContext, walk: (meter: WorkMeter) => T): T {
  const meter = new WorkMeter(ctx)
  const result = walk(meter)
  meter.done()
  return result
}

export const graphBuiltins: readonly BuiltinDef[] = [
  builtin('graph.reachable', 2, (args, ctx) =>
    metered(ctx, (meter) => reachable(objectArg(args, 0), initialVertices(args), meter)),
  ),
  builtin('graph.reachable_paths', 2, (args, ctx) =>
    metered(ctx, (meter) => reachablePaths(objectArg(args, 0), initialVertices(args), meter)),
  ),
]
