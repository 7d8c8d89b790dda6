import client from 'prom-client';

type Label = 'method' | 'route' | 'status_code';

/** One exported sample, in the shape prom-client's own histogram hands its registry. */
interface Value {
  readonly labels: Readonly<Record<string, string | number>>;
  readonly value: number;
  readonly metricName: string;
  readonly exemplar?: null;
}

interface Series {
  readonly labels: Record<Label, string>;
  /** Observations per bucket (not cumulative); the last slot counts those above every bound. */
  readonly counts: Float64Array;
  sum: number;
  count: number;
}

/**
 * The request-duration histogram, exported exactly as prom-client's own, but recorded without
 * building, checking and hashing a label object per request: a request finds its series by one map
 * lookup on `status method route`, then adds to a bucket counter. prom-client reads it through `get()`.
 */
export class HttpDurations extends client.Histogram<Label> {
  readonly #bounds: readonly number[];
  readonly #series = new Map<string, Series>();

  constructor(config: client.HistogramConfiguration<Label> & { buckets: number[] }) {
    super(config);
    this.#bounds = [...config.buckets].sort((a, b) => a - b);
  }

  /** Adds one request of `method` on `route` that ended with `status` after `seconds`. */
  record(method: string, route: string, status: number, seconds: number): void {
    const key = `${status} ${method} ${route}`;
    let series = this.#series.get(key);
    if (!series) {
      series = {
        labels: { method, route, status_code: String(status) },
        counts: new Float64Array(this.#bounds.length + 1),
        sum: 0,
        count: 0,
      };
      this.#series.set(key, series);
    }
    const bounds = this.#bounds;
    let i = 0;
    while (i < bounds.length && seconds > bounds[i]!) i++;
    series.counts[i]!++;
    series.sum += seconds;
    series.count++;
  }

  /** What the registry prints from (prom-client asks for this one when a metric has it). */
  getForPromString(): Promise<client.MetricObjectWithValues<client.MetricValueWithName<Label>>> {
    return this.get();
  }

  override async get(): Promise<client.MetricObjectWithValues<client.MetricValueWithName<Label>>> {
    // prom-client keeps these on the instance without declaring them.
    const self = this as unknown as { name: string; help: string; type: string; aggregator: string };
    const values: Value[] = [];
    const bucket = `${self.name}_bucket`;
    for (const s of this.#series.values()) {
      let cumulative = 0;
      for (let i = 0; i < this.#bounds.length; i++) {
        cumulative += s.counts[i]!;
        values.push({
          labels: { le: this.#bounds[i]!, ...s.labels },
          value: cumulative,
          metricName: bucket,
          exemplar: null,
        });
      }
      values.push(
        { labels: { le: '+Inf', ...s.labels }, value: s.count, metricName: bucket, exemplar: null },
        { labels: { ...s.labels }, value: s.sum, metricName: `${self.name}_sum` },
        { labels: { ...s.labels }, value: s.count, metricName: `${self.name}_count` },
      );
    }
    const data = { name: self.name, help: self.help, type: self.type, aggregator: self.aggregator, values };
    return data as unknown as client.MetricObjectWithValues<client.MetricValueWithName<Label>>;
  }

  override reset(): void {
    super.reset();
    // prom-client resets once from its constructor, before this class's fields exist.
    if (#series in this) this.#series.clear();
  }
}
