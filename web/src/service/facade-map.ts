/**
 * The facade's typed maps, from the generated contract (src/generated/facade.ts):
 * handler name -> {args, result}, and push name -> args.
 */
import type { Facade, KeyArgs, StoryApplyEditArgs } from "../generated/facade";

export type FacadeMethods = Facade["handlers"];
export type FacadePushes = Facade["pushes"];
export type MethodName = keyof FacadeMethods;
export type ArgsOf<N extends MethodName> = FacadeMethods[N]["args"];
export type ResultOf<N extends MethodName> = FacadeMethods[N]["result"];

/** One edit op, as `story.apply_edit` takes it. */
export type EditOp = StoryApplyEditArgs["op"];
export type EntityKind = KeyArgs["kind"];
