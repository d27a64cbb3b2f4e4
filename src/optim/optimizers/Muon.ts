import type { Tensor } from "../../tensor/tensor.js";
import { muonAdamwKernel, muonKernel } from "../kernels/muon.js";
import type { ParamGroup, ParamsInput } from "../optimizer.js";
import { ParamwiseOptimizer, runReference } from "../paramwise.js";
import { addDecayedWeights } from "../transforms/addDecayedWeights.js";
import { newtonSchulzConfig, type NewtonSchulzConfig } from "../transforms/newtonSchulz.js";
import { scale } from "../transforms/scale.js";
import { scaleByAdam, type ScaleByAdamState } from "../transforms/scaleByAdam.js";
import { scaleByLearningRate } from "../transforms/scaleByLearningRate.js";
import { checkAdjustLr, muonLrRatio, scaleByMuon, type MuonAdjustLr } from "../transforms/scaleByMuon.js";
import type { FloatArray } from "../types.js";
import { checkBoolean, checkInRange, checkNonNegative, checkPair } from "../validate.js";
import { bufferLike, withDefaults } from "./common.js";

/** torch.optim.Muon's options, camelCased, plus the AdamW fallback's (Keras' Muon) and the per-group switch. */
export type MuonOptions = {
  lr: number;
  weightDecay: number;
  momentum: number;
  nesterov: boolean;
  nsCoefficients: readonly [number, number, number];
  eps: number;
  nsSteps: number;
  adjustLrFn: MuonAdjustLr;
  /** true: Muon for every parameter of the group (all must be 2-D); false: AdamW for all; null: Muon for 2-D ones. */
  useMuon: boolean | null;
  adamBetas: readonly [number, number];
  adamEps: number;
  adamWeightDecay: number;
  adamLrRatio: number;
};

/** A Muon parameter's state (torch's name). */
export type MuonMatrixState = { momentumBuffer: FloatArray };
/** The state of a parameter on the AdamW fallback (torch.optim.AdamW's names). */
export type MuonAdamState = { step: number; expAvg: FloatArray; expAvgSq: FloatArray };
/** Muon's per-parameter state: which one depends on whether the parameter takes the Muon step. */
export type MuonState = MuonMatrixState | MuonAdamState;

/**
 * Muon (Jordan et al. 2024), matching torch.optim.Muon for 2-D weights:
 * `B ← μB + (1−μ)g`, `M ← nesterov ? (1−μ)g + μB : B`,
 * `p ← p(1 − lr·wd) − lr·r(A,B)·NS₅(M)`, where NS₅ is the quintic
 * Newton–Schulz iteration (a, b, c) = (3.4445, −4.7750, 2.0315) and r is
 * adjustLrFn's factor ("original" √max(1, A/B), "match_rms_adamw"
 * 0.2·√max(A, B)). Unlike torch (which rejects them) and like Keras, other
 * parameters (biases, norms) take AdamW inside the same optimizer with
 * learning rate `lr·adamLrRatio`, betas adamBetas, eps adamEps, decay
 * adamWeightDecay.
 *
 * Choosing per group: `useMuon` null (default) sends 2-D parameters to Muon
 * and the rest to AdamW; set `useMuon: false` on a group to keep 2-D weights
 * that should not be orthogonalised (the output layer, embeddings) on AdamW:
 * `new Muon([{ params: hidden }, { params: head, useMuon: false }], { lr: 0.02 })`.
 *
 * Defaults: lr 1e-3, weightDecay 0.1, momentum 0.95, nesterov true,
 * nsCoefficients [3.4445, -4.775, 2.0315], eps 1e-7, nsSteps 5, adjustLrFn
 * null ("original"), useMuon null, adamBetas [0.9, 0.999], adamEps 1e-8,
 * adamWeightDecay 0.01, adamLrRatio 1.
 * Chain (Muon): `scaleByMuon(...), addDecayedWeights(wd), scaleByLearningRate(lr)`;
 * (AdamW): `scaleByAdam(...), addDecayedWeights(adamWd), scale(adamLrRatio), scaleByLearningRate(lr)`.
 */
export class Muon extends ParamwiseOptimizer<MuonOptions, MuonState> {
  constructor(params: ParamsInput<MuonOptions>, options: Partial<MuonOptions> = {}) {
    super(
      "Muon",
      params,
      withDefaults(
        {
          lr: 1e-3,
          weightDecay: 0.1,
          momentum: 0.95,
          nesterov: true,
          nsCoefficients: [3.4445, -4.775, 2.0315],
          eps: 1e-7,
          nsSteps: 5,
          adjustLrFn: null,
          useMuon: null,
          adamBetas: [0.9, 0.999],
          adamEps: 1e-8,
          adamWeightDecay: 0.01,
          adamLrRatio: 1,
        },
        options,
      ),
    );
  }

  protected validateOptions(o: MuonOptions): void {
    const owner = this.name;
    checkNonNegative(owner, "lr", o.lr);
    checkNonNegative(owner, "weightDecay", o.weightDecay);
    checkInRange(owner, "momentum", o.momentum, 0, 1, true);
    checkBoolean(owner, "nesterov", o.nesterov);
    newtonSchulzConfig(owner, o);
    checkAdjustLr(owner, o.adjustLrFn);
    if (o.useMuon !== null) checkBoolean(owner, "useMuon", o.useMuon);
    const [b1, b2] = checkPair(owner, "adamBetas", o.adamBetas);
    checkInRange(owner, "adamBetas[0]", b1, 0, 1);
    checkInRange(owner, "adamBetas[1]", b2, 0, 1);
    checkNonNegative(owner, "adamEps", o.adamEps);
    checkNonNegative(owner, "adamWeightDecay", o.adamWeightDecay);
    checkNonNegative(owner, "adamLrRatio", o.adamLrRatio);
    const params = (o as Partial<ParamGroup<MuonOptions>>).params;
    if (o.useMuon === true && params !== undefined) {
      params.forEach((p, i) => {
        if (p.shape.length !== 2) {
          throw new RangeError(
            `${owner}: useMuon is true but params[${i}] has shape [${p.shape.join(", ")}]; Muon only takes 2-D parameters (leave useMuon null to send the others to AdamW)`,
          );
        }
      });
    }
  }

  /** Whether `param` takes the Muon step in `group`. */
  usesMuon(param: Tensor, group: ParamGroup<MuonOptions>): boolean {
    return group.useMuon ?? param.shape.length === 2;
  }

  protected initState(param: Tensor, group: ParamGroup<MuonOptions>): MuonState {
    const p = param.data as FloatArray;
    return this.usesMuon(param, group) ? { momentumBuffer: bufferLike(p) } : { step: 0, expAvg: bufferLike(p), expAvgSq: bufferLike(p) };
  }

  /** The state as the kind the group now asks for, or an error if the group was switched after steps were taken. */
  private kind(param: Tensor, s: MuonState, group: ParamGroup<MuonOptions>): { muon: MuonMatrixState } | { adam: MuonAdamState } {
    const wantMuon = this.usesMuon(param, group);
    if (wantMuon !== "momentumBuffer" in s) {
      const [had, wants] = wantMuon ? ["AdamW", "Muon"] : ["Muon", "AdamW"];
      throw new Error(`${this.name}: a parameter of shape [${param.shape.join(", ")}] has ${had} state but its group now sends it to ${wants}; create a new optimizer to switch`);
    }
    return "momentumBuffer" in s ? { muon: s } : { adam: s };
  }

  /** Newton–Schulz settings of the last group seen (groups rarely differ), rebuilt only when they change. */
  private nsCache: NewtonSchulzConfig = newtonSchulzConfig("Muon", {});

  private nsConfig(group: ParamGroup<MuonOptions>): NewtonSchulzConfig {
    const c = this.nsCache;
    const [a, b, cc] = group.nsCoefficients;
    if (c.steps !== group.nsSteps || c.eps !== group.eps || c.coefficients[0] !== a || c.coefficients[1] !== b || c.coefficients[2] !== cc) {
      this.nsCache = newtonSchulzConfig(this.name, group);
    }
    return this.nsCache;
  }

  protected fusedUpdate(param: Tensor, g: FloatArray, s: MuonState, group: ParamGroup<MuonOptions>): void {
    const k = this.kind(param, s, group);
    const p = param.data as FloatArray;
    if ("muon" in k) {
      const [rows, cols] = param.shape;
      const ratio = muonLrRatio(group.adjustLrFn, rows, cols);
      const { lr, weightDecay, momentum, nesterov } = group;
      muonKernel(p, g, k.muon.momentumBuffer, rows, cols, this.nsConfig(group), lr, weightDecay, momentum, nesterov, ratio);
      return;
    }
    const a = k.adam;
    a.step += 1;
    const [b1, b2] = group.adamBetas;
    muonAdamwKernel(p, g, a.expAvg, a.expAvgSq, a.step, group.lr * group.adamLrRatio, b1, b2, group.adamEps, group.adamWeightDecay);
  }

  protected referenceUpdate(param: Tensor, g: FloatArray, s: MuonState, group: ParamGroup<MuonOptions>): void {
    const k = this.kind(param, s, group);
    if ("muon" in k) {
      const { momentum, nesterov, nsCoefficients, nsSteps, eps, adjustLrFn, weightDecay } = group;
      runReference(param, g, [
        { tx: scaleByMuon({ momentum, nesterov, nsCoefficients, nsSteps, eps, adjustLrFn }), state: { mu: [k.muon.momentumBuffer] } },
        weightDecay !== 0 ? { tx: addDecayedWeights(weightDecay) } : null,
        { tx: scaleByLearningRate(group.lr) },
      ]);
      return;
    }
    const a = k.adam;
    const [b1, b2] = group.adamBetas;
    const adamState: ScaleByAdamState = { count: a.step, mu: [a.expAvg], nu: [a.expAvgSq], nuMax: null };
    runReference(param, g, [
      { tx: scaleByAdam({ b1, b2, eps: group.adamEps }), state: adamState },
      group.adamWeightDecay !== 0 ? { tx: addDecayedWeights(group.adamWeightDecay) } : null,
      group.adamLrRatio !== 1 ? { tx: scale(group.adamLrRatio) } : null,
      { tx: scaleByLearningRate(group.lr) },
    ]);
    a.step = adamState.count;
  }
}
