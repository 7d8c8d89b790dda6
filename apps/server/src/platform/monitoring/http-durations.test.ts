import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import client from 'prom-client';
import { HttpDurations } from './http-durations.ts';

const buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

describe('request-duration histogram', () => {
  it('exports what prom-client exports for the same requests, line for line', async () => {
    const ours = new client.Registry();
    const theirs = new client.Registry();
    const fast = new HttpDurations({
      name: 'takt_http_request_duration_seconds',
      help: 'HTTP request duration',
      labelNames: ['method', 'route', 'status_code'],
      buckets,
      registers: [ours],
    });
    const plain = new client.Histogram({
      name: 'takt_http_request_duration_seconds',
      help: 'HTTP request duration',
      labelNames: ['method', 'route', 'status_code'],
      buckets,
      registers: [theirs],
    });
    const requests: [string, string, number, number][] = [
      ['GET', '/api/v1/items', 200, 0.0004],
      ['GET', '/api/v1/items', 200, 0.001],
      ['GET', '/api/v1/items', 200, 0.03],
      ['GET', '/api/v1/items', 404, 0.002],
      ['POST', '/api/v1/items', 201, 7.5],
      ['GET', 'unmatched', 404, 0.0001],
    ];
    for (const [method, route, status, seconds] of requests) {
      fast.record(method, route, status, seconds);
      plain.observe({ method, route, status_code: String(status) }, seconds);
    }
    assert.equal(await ours.metrics(), await theirs.metrics());
    const json = async (r: client.Registry) => JSON.parse(JSON.stringify(await r.getMetricsAsJSON()));
    assert.deepEqual(await json(ours), await json(theirs));

    ours.resetMetrics();
    assert.doesNotMatch(await ours.metrics(), /_bucket/);
  });
});
