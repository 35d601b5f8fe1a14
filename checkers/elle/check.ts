import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CheckResult } from '../../harness/core/checker.ts';
import type { IndexedOp } from '../../harness/core/op.ts';
import { releaseSearchBuffers, type FoundCycle } from './cycles.ts';
import { cycleDot, explainCycle, type CycleExplanation } from './explain.ts';
import { DATA, releaseSubgraphScratch, toCsr, type Graph } from './graph.ts';
import type { Inference } from './inference.ts';
import { boundary, forbidden } from './models.ts';
import { addProcessEdges, addRealtimeEdges } from './order-edges.ts';
import { stronglyConnected } from './scc.ts';
import { searchScc } from './search.ts';
import { collectTxns, ElleInputError, type Txn, type Workload } from './txns.ts';

export interface PipelineOptions {
  /** Models the history must satisfy; anomalies they forbid make the verdict false. */
  models: readonly string[];
  /** Anomaly types that make the verdict false whatever the models say. */
  anomalies: readonly string[];
  sccBudgetMs: number;
  /** performance.now() after which no further SCC is searched. */
  deadline: number;
  outDir?: string;
  signal?: AbortSignal;
  /** The history's file, to name in `inputError`. */
  file?: string;
}

function result(valid: CheckResult['valid'], reason: string, models: readonly string[], anomalies: Map<string, unknown[]>, stats: Record<string, number>): CheckResult {
  const types = [...anomalies.keys()].sort();
  const { not, alsoNot } = boundary(types);
  const out: Record<string, unknown[]> = {};
  const ruledOut: Record<string, { not: string[]; alsoNot: string[] }> = {};
  for (const t of types) {
    out[t] = anomalies.get(t)!;
    ruledOut[t] = boundary([t]);
  }
  return { valid, reason, models: [...models], anomalyTypes: types, anomalies: out, not, alsoNot, ruledOut, stats };
}

/**
 * The pipeline both workloads share: transactions → data edges (the workload's inference) + session and real-time
 * edges → CSR → SCCs → typed cycle search per SCC → explained anomalies, the models they rule out, and a verdict.
 */
export async function runElle(history: readonly IndexedOp[], workload: Workload, infer: (txns: readonly Txn[]) => Inference, opts: PipelineOptions): Promise<CheckResult> {
  const t0 = performance.now();
  let txns: Txn[];
  let skipped: number;
  let inference: Inference;
  try {
    ({ txns, skipped } = collectTxns(history, workload));
    inference = infer(txns);
  } catch (e) {
    if (!(e instanceof ElleInputError)) throw e;
    const r = result('unknown', `history does not meet ${workload}'s preconditions: ${e.message}`, opts.models, new Map(), {});
    // `inputError` tells `rift check` that the history does not fit the workload: bad input (65), naming the op.
    return { ...r, error: { line: e.line, field: e.field, detail: e.detail }, inputError: { file: opts.file ?? '<history>', line: e.line, detail: `${e.field}: ${e.detail}` } };
  }
  const stats: Record<string, number> = { txns: txns.length, ok: 0, info: 0, fail: 0, skippedOps: skipped };
  for (let i = 0; i < txns.length; i++) stats[txns[i].outcome]++;
  const anomalies = inference.anomalies;
  if (txns.length === 0) return result('unknown', 'the history has no txn operations', opts.models, anomalies, { ...stats, edges: 0, sccs: 0 });
  // Without a committed transaction nothing was observed, so nothing can be inferred either way.
  const nothingObserved = stats.ok === 0;

  addProcessEdges(txns, inference.edges);
  addRealtimeEdges(txns, inference.edges);
  const graph = toCsr(txns.length, inference.edges);
  stats.inferMs = Math.round(performance.now() - t0);
  stats.edges = graph.targets.length;
  // Elle's empty-transaction-graph, read as "no dependency could be inferred". Real-time and session order alone
  // never close a cycle (both run forward through the history), so without a ww, wr or rw edge no cycle could be
  // found and a clean result would say nothing: a run whose reads all failed, or saw no key anybody wrote. Elle
  // counts real-time edges too when its models need them, and so calls some such histories valid; this is stricter.
  const emptyGraph = !hasEdge(graph, DATA);
  if (emptyGraph) anomalies.set('empty-transaction-graph', [{ txns: txns.length }]);

  const t1 = performance.now();
  const sccs = stronglyConnected(graph);
  stats.sccs = sccs.length;
  stats.largestScc = sccs.reduce((m, c) => Math.max(m, c.length), 0);
  const explained: CycleExplanation[] = [];
  const timeouts: unknown[] = [];
  for (const scc of sccs) {
    const now = performance.now();
    if (now > opts.deadline || opts.signal?.aborted) {
      timeouts.push({ sccSize: scc.length, spec: 'all', notSearched: ['all'], cycleExists: [] });
      continue;
    }
    const outcome = searchScc(graph, scc, Math.min(opts.deadline, now + opts.sccBudgetMs));
    for (const [type, c] of outcome.cycles) {
      const global: FoundCycle = { vertices: c.vertices.map((v) => outcome.vertices[v]), rels: c.rels };
      const e = explainCycle(type, global, txns, inference);
      explained.push(e);
      const list = anomalies.get(type);
      if (list) list.push(e);
      else anomalies.set(type, [e]);
    }
    if (outcome.timeout) {
      timeouts.push(outcome.timeout);
      for (const ce of outcome.timeout.cycleExists) {
        const list = anomalies.get(ce);
        const entry = { sccSize: scc.length };
        if (list) list.push(entry);
        else anomalies.set(ce, [entry]);
      }
    }
  }
  releaseSearchBuffers();
  releaseSubgraphScratch();
  if (timeouts.length > 0) anomalies.set('cycle-search-timeout', timeouts);
  stats.cycleSearchMs = Math.round(performance.now() - t1);

  if (opts.outDir && explained.length > 0) {
    const dir = join(opts.outDir, `elle-${workload}`);
    await mkdir(dir, { recursive: true });
    const seen = new Map<string, number>();
    for (const e of explained) {
      const n = (seen.get(e.type) ?? 0) + 1;
      seen.set(e.type, n);
      const file = join(dir, `${e.type}-${n}.dot`);
      await writeFile(file, cycleDot(e));
      e.dotFile = file;
    }
  }

  const models = opts.models.join(', ');
  const bad = [...anomalies.keys()].filter((t) => forbidden(t, opts.models, opts.anomalies));
  if (bad.length > 0) {
    const asked = opts.anomalies.length > 0 ? ` or asked for (${opts.anomalies.join(', ')})` : '';
    return result(false, `found ${bad.sort().join(', ')}, forbidden under ${models}${asked}`, opts.models, anomalies, stats);
  }
  if (timeouts.length > 0) return result('unknown', 'cycle search ran out of time; some anomalies may be missing', opts.models, anomalies, stats);
  if (nothingObserved) return result('unknown', 'no transaction completed ok, so nothing was observed', opts.models, anomalies, stats);
  if (emptyGraph) {
    return result('unknown', 'no ww, wr or rw dependency between transactions could be inferred (no read saw a version another transaction wrote or overwrote), so no cycle could be found (empty-transaction-graph)', opts.models, anomalies, stats);
  }
  const rest = [...anomalies.keys()];
  return result(true, rest.length === 0 ? `no anomalies found; checked ${models}` : `found only ${rest.sort().join(', ')}, allowed under ${models}`, opts.models, anomalies, stats);
}

function hasEdge(g: Graph, mask: number): boolean {
  for (let e = 0; e < g.masks.length; e++) if (g.masks[e] & mask) return true;
  return false;
}
