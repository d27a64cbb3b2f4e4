import { type Shape, shapeToString } from "../../tensor/shape.js";

export interface Fans {
  fanIn: number;
  fanOut: number;
}

/**
 * Fan-in and fan-out of a weight of shape [out, in, ...kernel], as torch's
 * _calculate_fan_in_and_fan_out: fanIn = shape[1] * r, fanOut = shape[0] * r
 * with r the product of the kernel dimensions (1 for a matrix).
 */
export function computeFans(shape: Shape): Fans {
  if (shape.length < 2) {
    throw new Error(`computeFans: fans need a tensor of at least 2 dimensions, got shape ${shapeToString(shape)}`);
  }
  let receptive = 1;
  for (let i = 2; i < shape.length; i++) receptive *= shape[i]!;
  return { fanIn: shape[1]! * receptive, fanOut: shape[0]! * receptive };
}

/** Which fan scales an initializer: torch's "fan_in" / "fan_out", or camelCase. */
export type FanMode = "fanIn" | "fanOut" | "fan_in" | "fan_out";

/** The fan selected by `mode`. */
export function selectFan(shape: Shape, mode: FanMode, op: string): number {
  const { fanIn, fanOut } = computeFans(shape);
  if (mode === "fanIn" || mode === "fan_in") return fanIn;
  if (mode === "fanOut" || mode === "fan_out") return fanOut;
  throw new Error(`${op}: mode must be "fanIn" or "fanOut" (or "fan_in" / "fan_out"), got ${JSON.stringify(mode)}`);
}
