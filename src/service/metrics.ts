/** Prometheus metrics of the service (prom-client): carriers by outcome, pages, failures, stage latencies, queue depth. */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface ServiceMetrics {
  readonly registry: Registry;
  readonly carriers: Counter<'outcome'>;
  readonly pages: Counter;
  readonly failures: Counter<'stage' | 'kind'>;
  readonly stageSeconds: Histogram<'stage'>;
  readonly queueDepth: Gauge<'queue' | 'state'>;
  /** 1 when the register's hash chain was intact when last checked (at start), 0 when broken. */
  readonly registerChainIntact: Gauge;
  /** The chain's length (events) when last checked. */
  readonly registerChainEvents: Gauge;
  /** Files the reconciler wrote into or took out of the folders to make them agree with the register. */
  readonly reconcileFixes: Counter;
  /** From the last reconciler pass: files in outbox/ no register event accounts for, results kept nowhere. */
  readonly outboxStrays: Gauge;
  readonly noticesOverdue: Gauge;
  readonly resultsMissing: Gauge;
}

export function createMetrics(): ServiceMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'grif_process_' });
  return {
    registry,
    carriers: new Counter({ name: 'grif_carriers_total', help: 'Carriers finished, by outcome', labelNames: ['outcome'], registers: [registry] }),
    pages: new Counter({ name: 'grif_pages_total', help: 'Pages extracted', registers: [registry] }),
    failures: new Counter({ name: 'grif_failures_total', help: 'Stage failures (retryable or not)', labelNames: ['stage', 'kind'], registers: [registry] }),
    stageSeconds: new Histogram({
      name: 'grif_stage_seconds',
      help: 'Time a stage took per carrier',
      labelNames: ['stage'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
      registers: [registry],
    }),
    queueDepth: new Gauge({ name: 'grif_queue_jobs', help: 'Jobs in each queue, by state', labelNames: ['queue', 'state'], registers: [registry] }),
    registerChainIntact: new Gauge({ name: 'grif_register_chain_intact', help: "1 when the register's hash chain was intact when last checked, 0 when broken", registers: [registry] }),
    registerChainEvents: new Gauge({ name: 'grif_register_chain_events', help: "Events in the register's hash chain when last checked", registers: [registry] }),
    reconcileFixes: new Counter({ name: 'grif_reconcile_fixes_total', help: 'Files the reconciler wrote or removed to make the folders agree with the register', registers: [registry] }),
    noticesOverdue: new Gauge({ name: 'grif_notices_overdue', help: 'Carriers whose level-change notice (Art. 6.3) is past its 30 days and not yet carried out', registers: [registry] }),
    outboxStrays: new Gauge({ name: 'grif_outbox_strays', help: 'Files in outbox/ that no register event accounts for (last reconciler pass)', registers: [registry] }),
    resultsMissing: new Gauge({ name: 'grif_results_missing', help: 'Results the register names that are kept nowhere (last reconciler pass)', registers: [registry] }),
  };
}
