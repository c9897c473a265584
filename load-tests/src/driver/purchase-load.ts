/**
 * The Node driver of the purchase scenarios (spike, sustained) where k6 is not installed: the
 * arrival-rate generator starts `POST /sales/:id/purchases` at each stage's rate, and every answer goes
 * into a LoadRecorder. Same request, same crowd and same checks as the k6 scripts: every answer must be
 * 202, 409 or 429.
 */
import type { LoadFigures } from '../shaping/peak-shaving-run';
import { runArrivalRate } from './arrival-rate-generator';
import type { BuyerPool } from './buyer-pool';
import type { LoadStage } from './load-shape';
import { LoadRecorder } from './load-recorder';

export interface PurchaseLoadOptions {
  orderUrl: string;
  saleId: string;
  stages: readonly LoadStage[];
  buyers: BuyerPool;
  /** Keep-alive connections (default 100). */
  connections?: number;
  /** Called once per stage with what happened so far. */
  onStage?: (line: string) => void;
}

export const EXPECTED_PURCHASE_STATUSES = new Set([202, 409, 429]);

export async function runPurchaseLoad(
  options: PurchaseLoadOptions,
): Promise<{ figures: LoadFigures; dropped: number }> {
  const recorder = new LoadRecorder();
  const url = new URL(`${options.orderUrl}/sales/${options.saleId}/purchases`);
  const { dropped } = await runArrivalRate({
    origin: url.origin,
    stages: options.stages,
    connections: options.connections,
    recorder,
    nextRequest: () => ({
      method: 'POST',
      path: url.pathname,
      body: JSON.stringify({ userId: options.buyers.nextUserId(), quantity: 1 }),
    }),
    onStage: (stage, index) =>
      options.onStage?.(
        `stage ${index + 1}/${options.stages.length}: ${stage.rate} req/s for ${stage.seconds} s; ` +
          `${recorder.count} answers so far, ${recorder.failures} 5xx/errors`,
      ),
  });
  return { figures: recorder.finish(), dropped };
}
