import { chain } from "../chain.js";
import type { GradientTransformation, Hyper, State } from "../types.js";
import { addDecayedWeights } from "../transforms/addDecayedWeights.js";
import { maskedBy, type Mask } from "../transforms/maskedBy.js";
import { scale } from "../transforms/scale.js";
import { scaleByAdam } from "../transforms/scaleByAdam.js";
import { scaleByLearningRate } from "../transforms/scaleByLearningRate.js";
import { scaleByMuon, type ScaleByMuonOptions } from "../transforms/scaleByMuon.js";

/** Options of the muon alias: scaleByMuon's, the decay, and the AdamW used for the other parameters. */
export interface MuonAliasOptions extends ScaleByMuonOptions {
  /** Decoupled weight decay of the Muon parameters (default 0.1, as torch.optim.Muon). */
  weightDecay?: number;
  /** Which parameters take the Muon step (default: the 2-D ones); the others take AdamW. */
  muonMask?: Mask;
  /** AdamW's b1 and b2 for the other parameters (default [0.9, 0.999]). */
  adamBetas?: readonly [number, number];
  /** AdamW's eps (default 1e-8). */
  adamEps?: number;
  /** AdamW's decoupled weight decay (default 0.01, torch.optim.AdamW's). */
  adamWeightDecay?: number;
  /** AdamW's learning rate as a multiple of Muon's (default 1, Keras' adam_lr_ratio). */
  adamLrRatio?: number;
}

/** The default split: 2-D weights take Muon, everything else (biases, norms) AdamW. */
export const isMatrix: Mask = (p) => p.shape.length === 2;

/**
 * Muon (Jordan et al. 2024) with an AdamW fallback, as Keras' Muon and
 * optax.contrib.muon: parameters selected by `muonMask` (default: the 2-D
 * ones) take `p ← p − lr·(NS₅(momentum)·r(A,B) + wd·p)` (scaleByMuon), the
 * others `p ← p − lr·ratio·(m̂/(√v̂ + eps) + adamWd·p)` (AdamW). Exclude the
 * output layer and embeddings from Muon through the mask, as its authors
 * recommend.
 *
 * `chain(maskedBy(chain(scaleByMuon(...), addDecayedWeights(wd)), muonMask),
 *  maskedBy(chain(scaleByAdam(...), addDecayedWeights(adamWd), scale(adamLrRatio)), not muonMask),
 *  scaleByLearningRate(lr))`
 */
export function muon(learningRate: Hyper, options: MuonAliasOptions = {}): GradientTransformation<State[]> {
  const select = options.muonMask ?? isMatrix;
  const inverse: Mask = typeof select === "function" ? (p, i) => !select(p, i) : select.map((b) => !b);
  const [b1, b2] = options.adamBetas ?? [0.9, 0.999];
  return chain(
    maskedBy(chain(scaleByMuon(options), addDecayedWeights(options.weightDecay ?? 0.1)), select),
    maskedBy(
      chain(scaleByAdam({ b1, b2, eps: options.adamEps ?? 1e-8 }), addDecayedWeights(options.adamWeightDecay ?? 0.01), scale(options.adamLrRatio ?? 1)),
      inverse,
    ),
    scaleByLearningRate(learningRate),
  );
}
