/** A small counter registry rendered in the Prometheus text format for GET /metrics. */
export interface MetricsRegistry {
  increment(name: string, labels: Readonly<Record<string, string>>, help?: string): void
  render(): string
}

export function createMetricsRegistry(): MetricsRegistry {
  const counters = new Map<string, { help: string; series: Map<string, number> }>()
  return {
    increment(name, labels, help = name) {
      let counter = counters.get(name)
      if (counter === undefined) {
        counter = { help, series: new Map() }
        counters.set(name, counter)
      }
      const key = Object.entries(labels)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([label, value]) => `${label}="${escapeLabel(value)}"`)
        .join(',')
      counter.series.set(key, (counter.series.get(key) ?? 0) + 1)
    },
    render() {
      const lines: string[] = []
      for (const [name, { help, series }] of counters) {
        lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`)
        for (const [labels, value] of series)
          lines.push(`${name}${labels === '' ? '' : `{${labels}}`} ${String(value)}`)
      }
      return lines.length === 0 ? '' : `${lines.join('\n')}\n`
    },
  }
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')
}
