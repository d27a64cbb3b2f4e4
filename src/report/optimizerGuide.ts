/**
 * Which optimizer suits which situation, printed by `nabla compare --help`:
 * the short form of docs/choosing-an-optimizer.md, whose runs back each line.
 */
export const OPTIMIZER_GUIDE = `Choosing an optimizer (from the runs in docs/choosing-an-optimizer.md):
  don't know yet      adam or rmsprop at their defaults: good from the first epochs, and
                      the rate can be off by 3x either way; then run compare --tune-lr.
  sparse features     adagrad (or rmsprop/adam): per-coordinate rates give rare features
                      large steps; plain sgd lags far behind there.
  noisy gradients     (small batches) rmsprop, adam or adagrad; heavy-ball momentum at the
                      rate tuned for batch 64 overshoots, so lower its rate with the batch.
  large batches       few updates per epoch: lamb, rmsprop or adam make the most of each;
                      sgd needs its rate scaled up with the batch and a warmup schedule.
  fine-tuning         adamw or momentum at 10-100x below the from-scratch rate, with a
                      warmup; take lr-find's "lowest loss / 10" rather than the steepest point.
  tight memory        sgd keeps no state, momentum/nesterov/adagrad/rmsprop one buffer per
                      parameter, adam/adamw two (see the state column).
  best final result   tune the rate (--tune-lr or lr-find) before comparing: with tuned rates
                      the optimizers end much closer together than with defaults; a short
                      sweep favours bold rates, so distrust a pick at the edge of the sweep.`;
