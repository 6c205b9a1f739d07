import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HealthReport } from './health.js';

/** The part of `@opentelemetry/exporter-prometheus`'s `PrometheusExporter` the server uses. */
export interface PrometheusRequestHandler {
  getMetricsRequestHandler(request: IncomingMessage, response: ServerResponse): void;
}

/** What {@link startHealthServer} serves. */
export interface HealthServerOptions {
  /** Reads the health report, e.g. `() => streams.health()`. */
  readonly health: () => HealthReport;
  /** Default 0 (a free port; read it from `port` of the result). */
  readonly port?: number;
  /** Default `127.0.0.1`: only this machine can reach it unless you say otherwise. */
  readonly host?: string;
  /** The app's Prometheus exporter (created with `preventServerStart: true`); serves `/metrics` when given. */
  readonly prometheusExporter?: PrometheusRequestHandler;
}

/** A running health server. */
export interface HealthServer extends AsyncDisposable {
  readonly port: number;
  /** `http://<host>:<port>` */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * A tiny HTTP server for probes: `GET /health` (200 while UP, else 503), `GET /ready` (200 once
 * RUNNING with nothing restoring, else 503), both with the JSON report, and `GET /metrics` from
 * the app's OpenTelemetry Prometheus exporter when one is given. Binds to loopback by default.
 *
 * @example
 * const server = await startHealthServer({ health: () => streams.health(), port: 8080, prometheusExporter: exporter });
 */
export async function startHealthServer(options: HealthServerOptions): Promise<HealthServer> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer((request, response) => route(options, request, response));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const close = (): Promise<void> => closeServer(server);
  return { port, url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`, close, [Symbol.asyncDispose]: close };
}

function route(options: HealthServerOptions, request: IncomingMessage, response: ServerResponse): void {
  const path = (request.url ?? '/').split('?')[0];
  if (request.method !== 'GET' && request.method !== 'HEAD') return reply(response, 405, { error: 'Only GET and HEAD are served.' });
  if (path === '/metrics') {
    if (options.prometheusExporter === undefined) return reply(response, 404, { error: 'No Prometheus exporter was given to the health server; pass prometheusExporter to serve /metrics.' });
    return options.prometheusExporter.getMetricsRequestHandler(request, response);
  }
  if (path !== '/health' && path !== '/ready') return reply(response, 404, { error: `Unknown path ${path}; use /health, /ready or /metrics.` });
  let report: HealthReport;
  try {
    report = options.health();
  } catch (error) {
    return reply(response, 503, { status: 'DOWN', error: error instanceof Error ? error.message : String(error) });
  }
  const healthy = path === '/health' ? report.status === 'UP' : report.ready;
  reply(response, healthy ? 200 : 503, report);
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

function closeServer(server: Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
