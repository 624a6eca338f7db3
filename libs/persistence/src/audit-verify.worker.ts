/**
 * A worker thread of verifyAuditChain: checks one range of the audit chain on its own connection
 * and posts its progress and its RangeCheck back (see checkAuditRange). Started only from the
 * compiled dist/, by path.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Client } from 'pg';
import { checkAuditRange, useUtcSession, type RangeWorkerData, type RangeWorkerMessage } from './audit-chain';

async function main(port: NonNullable<typeof parentPort>, data: RangeWorkerData): Promise<void> {
  const client = new Client(data.connection);
  await client.connect();
  try {
    await useUtcSession(client);
    const result = await checkAuditRange(client, data.from, data.to, {
      batchSize: data.batchSize,
      onProgress: (progress) => port.postMessage({ progress } satisfies RangeWorkerMessage),
    });
    port.postMessage({ result } satisfies RangeWorkerMessage);
  } finally {
    await client.end();
  }
}

if (parentPort) {
  const port = parentPort;
  main(port, workerData as RangeWorkerData).catch((err: unknown) =>
    port.postMessage({ error: err instanceof Error ? err.message : String(err) } satisfies RangeWorkerMessage),
  );
}
