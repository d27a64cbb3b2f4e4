// nb.optim: gradient transformations, the optimizers built from them, and lrScheduler.
export * as lrScheduler from "./lrScheduler/index.js";

// The functional layer (optax style).
export type {
  FloatArray,
  FusedRule,
  GradientTransformation,
  Hyper,
  ParamView,
  Params,
  Schedule,
  State,
  StateLeaf,
  Updates,
} from "./types.js";
export { applyUpdates, elementwise, hyperAt, identity, stateless, type LeafCountState } from "./base.js";
export { chain } from "./chain.js";

export { adaptiveGradClip, type AdaptiveGradClipOptions } from "./transforms/adaptiveGradClip.js";
export { addDecayedWeights } from "./transforms/addDecayedWeights.js";
export { addL1Penalty } from "./transforms/addL1Penalty.js";
export { addWeightDecay } from "./transforms/addWeightDecay.js";
export { allFinite, applyIfFinite, type ApplyIfFiniteOptions, type ApplyIfFiniteState } from "./transforms/applyIfFinite.js";
export { clip } from "./transforms/clip.js";
export { clipByBlockRms } from "./transforms/clipByBlockRms.js";
export { clipByGlobalNorm, globalNorm } from "./transforms/clipByGlobalNorm.js";
export { maskedBy, type Mask, type MaskedState } from "./transforms/maskedBy.js";
export { multiSteps, type MultiStepsOptions, type MultiStepsState } from "./transforms/multiSteps.js";
export { polyakAverage, type PolyakAverageOptions, type PolyakAverageState } from "./transforms/polyakAverage.js";
export { scale } from "./transforms/scale.js";
export { scaleByAdadelta, type ScaleByAdadeltaOptions, type ScaleByAdadeltaState } from "./transforms/scaleByAdadelta.js";
export { scaleByAdagrad, type ScaleByAdagradOptions, type ScaleByAdagradState } from "./transforms/scaleByAdagrad.js";
export { scaleByAdam, type ScaleByAdamOptions, type ScaleByAdamState } from "./transforms/scaleByAdam.js";
export { scaleByAdamax, type ScaleByAdamaxOptions, type ScaleByAdamaxState } from "./transforms/scaleByAdamax.js";
export { scaleByLearningRate, type CountState, type ScaleByLearningRateOptions } from "./transforms/scaleByLearningRate.js";
export { scaleByMomentum, type ScaleByMomentumOptions, type TraceState } from "./transforms/scaleByMomentum.js";
export { scaleByNadam, type ScaleByNadamOptions, type ScaleByNadamState } from "./transforms/scaleByNadam.js";
export { scaleByRadam, type ScaleByRadamOptions, type ScaleByRadamState } from "./transforms/scaleByRadam.js";
export { scaleByRms, type ScaleByRmsOptions, type ScaleByRmsState } from "./transforms/scaleByRms.js";
export { scaleByRprop, type ScaleByRpropOptions, type ScaleByRpropState } from "./transforms/scaleByRprop.js";
export { trace, type TraceOptions } from "./transforms/trace.js";

// Aliases: a doc comment around chain(...).
export { adadelta } from "./aliases/adadelta.js";
export { adagrad, type AdagradOptions as AdagradAliasOptions } from "./aliases/adagrad.js";
export { adam } from "./aliases/adam.js";
export { adamax } from "./aliases/adamax.js";
export { adamw, type AdamwOptions } from "./aliases/adamw.js";
export { asgd, type AsgdOptions } from "./aliases/asgd.js";
export { nadam } from "./aliases/nadam.js";
export { radam } from "./aliases/radam.js";
export { rmsprop, type RmspropOptions } from "./aliases/rmsprop.js";
export { rprop } from "./aliases/rprop.js";
export { sgd, type SgdOptions } from "./aliases/sgd.js";

// The stateful layer (PyTorch style).
export {
  Optimizer,
  type Closure,
  type GroupOptions,
  type OptimizerStateDict,
  type ParamGroup,
  type ParamGroupInput,
  type ParamsInput,
  type SavedGroup,
} from "./optimizer.js";
export { ParamwiseOptimizer, runReference, type ReferenceLink } from "./paramwise.js";
export { fromTransform, TransformOptimizer, type TransformOptions } from "./fromTransform.js";
export { SGD, type SGDOptions, type SGDState } from "./optimizers/SGD.js";
export { Adam, type AdamOptions, type AdamState, type AdamStateDtype, type AdamFloatState } from "./optimizers/Adam.js";
export { AdamW } from "./optimizers/AdamW.js";
export { Adamax, type AdamaxOptions, type AdamaxState } from "./optimizers/Adamax.js";
export { NAdam, type NAdamOptions, type NAdamState } from "./optimizers/NAdam.js";
export { RAdam, type RAdamOptions, type RAdamState } from "./optimizers/RAdam.js";
export { Adagrad, type AdagradOptions, type AdagradState } from "./optimizers/Adagrad.js";
export { Adadelta, type AdadeltaOptions, type AdadeltaState } from "./optimizers/Adadelta.js";
export { RMSprop, type RMSpropOptions, type RMSpropState } from "./optimizers/RMSprop.js";
export { Rprop, type RpropOptions, type RpropState } from "./optimizers/Rprop.js";
export { ASGD, type ASGDOptions, type ASGDState } from "./optimizers/ASGD.js";
export { LBFGS, type LBFGSOptions, type LBFGSState } from "./optimizers/LBFGS.js";
export { addL1Proximal } from "./transforms/addL1Proximal.js";
export { decayMask, weightDecayGroups, type ParameterSource } from "./paramGroups.js";
// Beyond torch.optim (issue 9): sign-based, trust-ratio and belief-based optimizers.
export { scaleByLion, type ScaleByLionOptions, type ScaleByLionState } from "./transforms/scaleByLion.js";
export { scaleByTrustRatio, trustRatio, type ScaleByTrustRatioOptions } from "./transforms/scaleByTrustRatio.js";
export { scaleByBelief, type ScaleByBeliefOptions, type ScaleByBeliefState } from "./transforms/scaleByBelief.js";
export { scaleByYogi, type ScaleByYogiOptions, type ScaleByYogiState } from "./transforms/scaleByYogi.js";
export { scaleByNovograd, type ScaleByNovogradOptions, type ScaleByNovogradState } from "./transforms/scaleByNovograd.js";
export { lion, type LionOptions as LionAliasOptions } from "./aliases/lion.js";
export { lamb, type LambOptions } from "./aliases/lamb.js";
export { lars, type LarsOptions } from "./aliases/lars.js";
export { adabelief } from "./aliases/adabelief.js";
export { yogi } from "./aliases/yogi.js";
export { novograd } from "./aliases/novograd.js";
export { Lion, type LionOptions, type LionState } from "./optimizers/Lion.js";
export { LAMB, type LAMBOptions, type LAMBState } from "./optimizers/LAMB.js";
export { LARS, type LARSOptions, type LARSState } from "./optimizers/LARS.js";
export { AdaBelief, type AdaBeliefOptions, type AdaBeliefState } from "./optimizers/AdaBelief.js";
export { Yogi, type YogiOptions, type YogiState } from "./optimizers/Yogi.js";
export { NovoGrad, type NovoGradOptions, type NovoGradState } from "./optimizers/NovoGrad.js";
// Beyond torch.optim (issue 9): factored, clipped-normalised, two-EMA, cover-based and orthogonalised updates.
export { scaleByFactoredRms, factoredDims, type ScaleByFactoredRmsOptions, type ScaleByFactoredRmsState } from "./transforms/scaleByFactoredRms.js";
export { scaleByParamBlockRms, type ScaleByParamBlockRmsState } from "./transforms/scaleByParamBlockRms.js";
export { scaleByAdafactor, type ScaleByAdafactorOptions } from "./transforms/scaleByAdafactor.js";
export { scaleByAdopt, adoptDefaultClip, type AdoptClip, type ScaleByAdoptOptions, type ScaleByAdoptState } from "./transforms/scaleByAdopt.js";
export {
  scaleByAdemamix,
  ademamixAlphaScheduler,
  ademamixBeta3Scheduler,
  type ScaleByAdemamixOptions,
  type ScaleByAdemamixState,
} from "./transforms/scaleByAdemamix.js";
export { scaleBySm3, type ScaleBySm3Options, type ScaleBySm3State } from "./transforms/scaleBySm3.js";
export { scaleByMuon, muonLrRatio, type MuonAdjustLr, type ScaleByMuonOptions, type ScaleByMuonState } from "./transforms/scaleByMuon.js";
export { newtonSchulz, newtonSchulzConfig, orthogonalizeByNewtonSchulz, type NewtonSchulzOptions } from "./transforms/newtonSchulz.js";
export { adafactor, type AdafactorAliasOptions } from "./aliases/adafactor.js";
export { adopt } from "./aliases/adopt.js";
export { ademamix, type AdemamixAliasOptions } from "./aliases/ademamix.js";
export { sm3, type Sm3AliasOptions } from "./aliases/sm3.js";
export { muon, type MuonAliasOptions } from "./aliases/muon.js";
export { Adafactor, type AdafactorOptions, type AdafactorState } from "./optimizers/Adafactor.js";
export { ADOPT, type ADOPTOptions, type ADOPTState } from "./optimizers/ADOPT.js";
export { AdEMAMix, type AdEMAMixOptions, type AdEMAMixState } from "./optimizers/AdEMAMix.js";
export { SM3, type SM3Options, type SM3State } from "./optimizers/SM3.js";
export { Muon, type MuonOptions, type MuonState } from "./optimizers/Muon.js";
// Beyond torch.optim (issue 9): schedule-free, parameter-free, wrappers, memory-light states.
export {
  scheduleFree,
  scheduleFreeEvalParams,
  scheduleFreeWarmup,
  scheduleFreeWeight,
  type AveragingState,
  type ScheduleFreeOptions,
  type ScheduleFreeState,
} from "./transforms/scheduleFree.js";
export { scheduleFreeSgd, type ScheduleFreeSgdOptions } from "./transforms/scheduleFreeSgd.js";
export { scheduleFreeAdamw, type ScheduleFreeAdamwOptions } from "./transforms/scheduleFreeAdamw.js";
export { prodigy, prodigyHyper, prodigyNextD, type ProdigyOptions as ProdigyAliasOptions, type ProdigyState as ProdigyTransformState } from "./transforms/prodigy.js";
export { dadaptAdam, type DAdaptAdamOptions as DAdaptAdamAliasOptions, type DAdaptAdamState as DAdaptAdamTransformState } from "./transforms/dadapt.js";
export { cocob, scaleByCocob, type CocobOptions, type ScaleByCocobOptions, type ScaleByCocobState } from "./transforms/cocob.js";
export { lookahead, type LookaheadOptions as LookaheadAliasOptions, type LookaheadState } from "./transforms/lookahead.js";
export { ScheduleFreeOptimizer, type ScheduleFreeCommonOptions, type ScheduleFreeGroupState } from "./optimizers/scheduleFreeCore.js";
export { SGDScheduleFree, type SGDScheduleFreeOptions, type SGDScheduleFreeState } from "./optimizers/SGDScheduleFree.js";
export { AdamWScheduleFree, type AdamWScheduleFreeOptions, type AdamWScheduleFreeState } from "./optimizers/AdamWScheduleFree.js";
export { Prodigy, type ProdigyGroupState, type ProdigyOptions, type ProdigyState } from "./optimizers/Prodigy.js";
export { DAdaptAdam, type DAdaptAdamGroupState, type DAdaptAdamOptions, type DAdaptAdamState } from "./optimizers/DAdaptAdam.js";
export { COCOB, type COCOBOptions, type COCOBState } from "./optimizers/COCOB.js";
export { SAM, type SAMOptions, type SAMStateDict } from "./optimizers/SAM.js";
export { Lookahead, type LookaheadOptions, type LookaheadOwnState, type LookaheadStateDict } from "./optimizers/Lookahead.js";
export type { InnerOptimizer } from "./optimizers/SAM-inner.js";
export {
  Adam8bit,
  AdamW8bit,
  AdamWBf16,
  LowPrecisionAdam,
  type LowPrecisionAdamOptions,
  type LowPrecisionAdamState,
  type StateDtype,
} from "./lowPrecision/LowPrecisionAdam.js";
export * as lowPrecision from "./lowPrecision/index.js";
export { stateByteCount, stateBytes, type MeasurableOptimizer } from "./stateBytes.js";
