import { TaskAssignmentError } from './assignment-error.js';

/** A `host:port` endpoint of an instance (`application.server`), for interactive queries. */
export interface HostInfo {
  readonly host: string;
  readonly port: number;
}

/**
 * Parses `application.server` (`host:port`; IPv6 hosts in brackets, `[::1]:8080`).
 *
 * @throws TaskAssignmentError naming the value when it has no host or no valid port.
 */
export function parseHostInfo(endpoint: string): HostInfo {
  const separator = endpoint.lastIndexOf(':');
  const host = endpoint.slice(0, Math.max(0, separator));
  const portText = endpoint.slice(separator + 1);
  const port = Number(portText);
  if (separator <= 0 || !/^\d+$/.test(portText) || port > 65_535) {
    throw new TaskAssignmentError(`application.server "${endpoint}" is not valid: expected "host:port" with a port from 0 to 65535, e.g. "localhost:8080".`);
  }
  return { host, port };
}

/** `host:port` text of an endpoint. */
export function formatHostInfo(hostInfo: HostInfo): string {
  return `${hostInfo.host}:${hostInfo.port}`;
}
