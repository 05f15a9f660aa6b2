/**
 * bench:loop's main-thread load: what the Redfish/MQTT side of the gateway puts on the main
 * thread and its heap while the control loop ticks in its worker. An in-process node:http server
 * answers every request by building and serialising a ~20 kB Redfish-like JSON object, and a
 * churner keeps a rolling window of live objects on the heap so old-generation GCs happen too.
 * Loopback only (127.0.0.1, port chosen by the OS).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A PowerSubsystem-ish document: 6 PSUs and 6 BBUs × a dozen metrics, ≈ 20 kB of JSON. */
function document(n: number): Record<string, unknown> {
  const members = [];
  for (let i = 0; i < 12; i++) {
    const metrics: Record<string, unknown> = {};
    for (let m = 0; m < 12; m++) {
      metrics[`Metric${m}`] = {
        Reading: 1000 * Math.sin(n + i + m),
        DataSourceUri: `/redfish/v1/Chassis/1/Sensors/S${i}M${m}`,
        Timestamp: `2026-01-01T00:00:${String(m).padStart(2, '0')}Z`,
      };
    }
    members.push({
      '@odata.id': `/redfish/v1/Chassis/1/PowerSubsystem/PowerSupplies/${i}`,
      Id: String(i),
      Status: { State: 'Enabled', Health: 'OK' },
      Metrics: metrics,
    });
  }
  return { '@odata.id': '/redfish/v1/Chassis/1/PowerSubsystem', Members: members, Request: n };
}

export interface HttpLoad {
  readonly url: string;
  /** Requests answered since start. */
  served(): number;
  /** Bytes of JSON per response, from the last one served. */
  responseBytes(): number;
  close(): Promise<void>;
}

export async function startHttpLoad(): Promise<HttpLoad> {
  let served = 0;
  let bytes = 0;
  const server: Server = createServer((req, res) => {
    const body = JSON.stringify(document(served));
    bytes = body.length;
    served++;
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
    res.end(body);
    req.resume();
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/redfish/v1/Chassis/1/PowerSubsystem`,
    served: () => served,
    responseBytes: () => bytes,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Keeps ~`liveMb` MB of small objects alive in a rolling window, replacing a tenth of it every
 * 100 ms: survivors get promoted, so the main heap sees mark-compact GCs as well as scavenges.
 */
export function startHeapChurn(liveMb = 40): () => void {
  const batches: unknown[][] = [];
  // ~100 bytes an object (shape, two numbers, a short string).
  const perBatch = Math.round((liveMb * 1e6) / 10 / 100);
  let n = 0;
  const timer = setInterval(() => {
    const batch: unknown[] = new Array(perBatch);
    for (let i = 0; i < perBatch; i++) batch[i] = { n: n++, x: i * 0.5, s: `item-${n}` };
    batches.push(batch);
    if (batches.length > 10) batches.shift();
  }, 100);
  return () => clearInterval(timer);
}
